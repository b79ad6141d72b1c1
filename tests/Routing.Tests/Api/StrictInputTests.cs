using System.Net;

namespace Routing.Tests.Api;

/// <summary>What lenient input used to break, beyond "changes nothing" (the bad-input table): the things that depend on it.</summary>
[Collection(ApiCollection.Name)]
public sealed class StrictInputTests(ApiFactory api)
{
    [Fact]
    public async Task A_policy_written_with_a_numeric_enum_is_refused_and_orders_under_it_keep_routing()
    {
        var world = await World.CreateAsync(api);
        var policy = $"p-{world.Tag}";
        (await world.Ops.PutJsonAsync($"/api/policies/{policy}", new { split = "WholeOrder" })).Expect(HttpStatusCode.OK);
        var campaign = new Dictionary<string, object?>(world.CampaignBody()) { ["id"] = $"gb-{world.Tag}-p", ["policy"] = policy };
        (await world.Ops.PostJsonAsync("/api/campaigns", campaign)).Expect(HttpStatusCode.Created);

        foreach (var body in new[] { """{ "split": 99 }""", """{ "split": 1 }""", """{ "fallback": 7 }""" })
            (await world.Ops.PutJsonAsync($"/api/policies/{policy}", body)).ExpectProblem(HttpStatusCode.BadRequest);

        Assert.Equal("WholeOrder", (string?)(await world.Ops.GetJsonAsync($"/api/policies/{policy}")).Expect(HttpStatusCode.OK)["split"]);
        var order = (await world.AsCustomer(world.CustomerX).PostJsonAsync($"/api/campaigns/gb-{world.Tag}-p/orders", new { quantity = 2 },
            Guid.NewGuid().ToString())).Expect(HttpStatusCode.Created);
        Assert.Equal("Allocated", (string?)order["status"]);
    }

    [Fact]
    public async Task A_refused_body_names_the_field_and_never_the_servers_types()
    {
        var world = await World.CreateAsync(api);
        var replies = new[]
        {
            await world.Ops.PutJsonAsync($"/api/distributors/{world.DistributorA}/inventory/{world.Sku}", "{}"),
            await world.Ops.PutJsonAsync($"/api/distributors/{world.DistributorA}/inventory/{world.Sku}", """{ "onHand": "3", "threshold": 1 }"""),
            await world.Ops.PutJsonAsync($"/api/distributors/{world.DistributorA}/inventory/{world.Sku}", """{ "onHand": 3, "onHand": 3, "threshold": 1 }"""),
            await world.AsCustomer(world.CustomerX).PostJsonAsync($"/api/campaigns/{world.Campaign}/orders", """{ "quantity": 1, "price": 1 }""", "k-1"),
            await world.Ops.GetJsonAsync("/api/orders?page=first"),
        };
        string[] mentions = ["onHand", "onHand", "onHand", "price", "page"];

        foreach (var (reply, field) in replies.Zip(mentions))
        {
            var detail = (string)reply.ExpectProblem(HttpStatusCode.BadRequest)["detail"]!;
            Assert.Contains(field, detail);
            Assert.DoesNotContain("Routing.", detail);
            Assert.DoesNotContain("Request", detail);
            Assert.DoesNotContain("Int32", detail);
        }
    }
}
