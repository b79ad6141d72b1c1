using System.Globalization;
using System.Net;

namespace Routing.Tests.Api;

/// <summary>Every list is paged the same way: page from 1, pageSize up to 500, totals in headers, a page past the end empty.</summary>
[Collection(ApiCollection.Name)]
public sealed class PagingTests(ApiFactory api)
{
    public static TheoryData<string> Lists =>
    [
        "/api/distributors", "/api/products", "/api/campaigns", "/api/policies", "/api/alerts", "/api/orders",
        "/api/customers/{customer}/orders", "/api/distributors/{distributor}/inventory", "/api/distributors/{distributor}/reservations",
        "/api/distributors/{distributor}/ledger",
    ];

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task A_list_answers_one_page_with_its_totals_and_a_page_past_the_end_is_empty(string list)
    {
        var world = await World.CreateAsync(api, stockA: 100, stockB: 100, threshold: 200); // low stock: alerts to list
        (await world.OrderAsync(world.CustomerX, 1)).Expect(HttpStatusCode.Created);
        (await world.OrderAsync(world.CustomerX, 2)).Expect(HttpStatusCode.Created);
        var second = $"{world.Sku}-40"; // a second SKU, so the distributor's inventory has two rows
        (await world.Ops.PostJsonAsync("/api/products", new { sku = second, name = "Urea 40 kg" })).Expect(HttpStatusCode.Created);
        (await world.Ops.PutJsonAsync($"/api/distributors/{world.DistributorA}/inventory/{second}", new { onHand = 10, threshold = 0 })).Expect(HttpStatusCode.OK);
        // A second campaign and a policy of this world's, so those lists have two items without other tests' data.
        var campaign = world.CampaignBody();
        campaign["id"] = $"{world.Campaign}-2";
        (await world.Ops.PostJsonAsync("/api/campaigns", campaign)).Expect(HttpStatusCode.Created);
        (await world.Ops.PutJsonAsync($"/api/policies/p-{world.Tag}", new { split = "WholeOrder" })).Expect(HttpStatusCode.OK);
        var path = list.Replace("{customer}", world.CustomerX).Replace("{distributor}", world.DistributorA);
        await Eventually.UntilAsync(async () => (await Total(world, path)), total => total >= 2, $"{path} to hold two items");

        var first = await world.Ops.GetJsonAsync($"{path}?page=1&pageSize=1");
        Assert.Single(first.Expect(HttpStatusCode.OK).AsArray());
        Assert.Equal("1", first.Headers.GetValues("X-Page").Single());
        Assert.Equal("1", first.Headers.GetValues("X-Page-Size").Single());
        var next = (await world.Ops.GetJsonAsync($"{path}?page=2&pageSize=1")).Expect(HttpStatusCode.OK).AsArray();
        Assert.NotEqual(first.Json.AsArray()[0]!.ToJsonString(), Assert.Single(next)!.ToJsonString());

        foreach (var far in new[] { "page=2147483647", "page=2147483647&pageSize=500", "page=100000" })
        {
            var past = await world.Ops.GetJsonAsync($"{path}?{far}");
            Assert.Empty(past.Expect(HttpStatusCode.OK).AsArray());
            Assert.Equal(first.Headers.GetValues("X-Total-Count").Single(), past.Headers.GetValues("X-Total-Count").Single());
        }
    }

    private static async Task<long> Total(World world, string path)
    {
        var reply = await world.Ops.GetJsonAsync($"{path}?pageSize=1");
        reply.Expect(HttpStatusCode.OK);
        return long.Parse(reply.Headers.GetValues("X-Total-Count").Single(), CultureInfo.InvariantCulture);
    }
}
