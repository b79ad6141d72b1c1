using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Routing.Contracts.Events;
using Routing.Domain;

namespace Routing.Tests.Api;

/// <summary>The server sends what the console shows, so the browser derives no business rule: the settings a policy
/// takes by default, a campaign's price standing, and every live event with its payload in the document.</summary>
[Collection(ApiCollection.Name)]
public sealed class ConsoleFactsTests(ApiFactory api)
{
    [Fact]
    public async Task A_policy_created_with_nothing_set_has_exactly_the_published_defaults()
    {
        var ops = api.Ops();
        var defaults = (await ops.GetJsonAsync("/api/policy-defaults")).Expect(HttpStatusCode.OK).AsObject();
        var id = $"p-defaults-{Guid.NewGuid():N}"[..24];
        var created = (await ops.PutJsonAsync($"/api/policies/{id}", new { })).Expect(HttpStatusCode.OK).AsObject();

        Assert.Equal(8, defaults.Count);
        foreach (var (name, value) in defaults)
        {
            var actual = name == "weights" ? created["effectiveWeights"] : created[name];
            Assert.True(JsonNode.DeepEquals(value, actual), $"{name}: the defaults say {value?.ToJsonString() ?? "null"}, a new policy has {actual?.ToJsonString() ?? "null"}");
        }
        var d = RoutingPolicy.Default;
        Assert.Equal(d.MaxSplits, (int)defaults["maxSplits"]!);
        Assert.Equal(d.Split.ToString(), (string?)defaults["split"]);
    }

    [Fact]
    public async Task A_campaign_answers_its_tiers_reached_and_the_next_tier_as_units_sell()
    {
        var world = await World.CreateAsync(api);
        var body = world.CampaignBody();
        body["id"] = $"{world.Campaign}-tiers";
        body["tiers"] = new[] { new { minUnits = 20, price = 100.0m }, new { minUnits = 5, price = 110.0m } };
        var created = (await world.Ops.PostJsonAsync("/api/campaigns", body)).Expect(HttpStatusCode.Created);
        Assert.Equal(0, (int)created["tiersReached"]!);
        Assert.Equal(5, (int)created["nextTier"]!["minUnits"]!);
        Assert.Equal(110m, (decimal)created["nextTier"]!["price"]!);

        (await world.AsCustomer(world.CustomerX).PostJsonAsync($"/api/campaigns/{body["id"]}/orders", new { quantity = 6 }, Guid.NewGuid().ToString()))
            .Expect(HttpStatusCode.Created);
        var sold = await Eventually.UntilAsync(async () => (await world.Ops.GetJsonAsync($"/api/campaigns/{body["id"]}")).Expect(HttpStatusCode.OK),
            c => (int)c["sold"]! == 6, "6 sold");
        Assert.Equal(1, (int)sold["tiersReached"]!);
        Assert.Equal(110m, (decimal)sold["currentPrice"]!);
        Assert.Equal(20, (int)sold["nextTier"]!["minUnits"]!);
        Assert.Equal(100m, (decimal)sold["nextTier"]!["price"]!);
    }

    [Fact]
    public void Every_live_event_is_listed_by_its_name()
    {
        var events = typeof(RoutingEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(RoutingEvent)) && !t.IsAbstract).ToList();
        Assert.Equal(events.OrderBy(t => t.Name), EventNames.Payloads.Values.OrderBy(t => t.Name));
        foreach (var (name, type) in EventNames.Payloads)
            Assert.Equal(name, ((RoutingEvent)RuntimeHelpers.GetUninitializedObject(type)).Name);
    }

    [Fact]
    public async Task The_document_lists_every_live_event_with_its_payload()
    {
        var document = (await api.Client(null).GetJsonAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);
        var schemas = document["components"]!["schemas"]!.AsObject();
        var webhooks = document["webhooks"]!.AsObject();
        Assert.Equal(EventNames.Payloads.Keys.Order(StringComparer.Ordinal), webhooks.Select(p => p.Key).Order(StringComparer.Ordinal));
        foreach (var (name, type) in EventNames.Payloads)
        {
            var body = webhooks[name]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!;
            Assert.Equal("array", (string?)body["type"]);
            var id = ((string)body["items"]!["$ref"]!).Split('/')[^1];
            var payload = schemas[id]!["properties"]!.AsObject();
            foreach (var property in type.GetProperties().Where(p => p.Name != nameof(RoutingEvent.Name)))
                Assert.True(payload.ContainsKey(char.ToLowerInvariant(property.Name[0]) + property.Name[1..]), $"{id} lacks {property.Name}");
        }
    }
}
