using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Routing.Tests.Api;

/// <summary>The exception queue (OPERATIONS.md "Exception queue"): orders awaiting a substitute, backordered or in manual
/// review, oldest first, each with a cause code from its routing and the actions ops can take with one click.</summary>
[Collection(ApiCollection.Name)]
public sealed class ExceptionQueueTests(ApiFactory api)
{
    /// <summary>A campaign of the world's SKU routed by a policy with this fallback; nothing in stock, so it falls back.</summary>
    private static async Task<string> CampaignAsync(World world, string fallback, bool suggestSubstitutes)
    {
        var policy = $"p-{world.Tag}-{fallback.ToLowerInvariant()}";
        (await world.Ops.PutJsonAsync($"/api/policies/{policy}", new { fallback, suggestSubstitutes })).Expect(HttpStatusCode.OK);
        var body = world.CampaignBody();
        body["id"] = $"{world.Campaign}-{fallback.ToLowerInvariant()}";
        body["policy"] = policy;
        (await world.Ops.PostJsonAsync("/api/campaigns", body)).Expect(HttpStatusCode.Created);
        return (string)body["id"]!;
    }

    private static async Task<JsonObject?> InQueueAsync(World world, string orderId)
    {
        var queue = (await world.Ops.GetJsonAsync("/api/exceptions?pageSize=500")).Expect(HttpStatusCode.OK).AsArray();
        var placed = queue.Select(o => DateTimeOffset.Parse((string)o!["placedAt"]!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(placed.Order(), placed); // oldest first
        return queue.FirstOrDefault(o => (string?)o!["orderId"] == orderId)?.AsObject();
    }

    private static string[] Actions(JsonObject entry) =>
        [.. entry["suggestedActions"]!.AsArray().Select(a => (string)a!["action"]! + ((string?)a["sku"] is { } sku ? $":{sku}" : ""))];

    [Fact]
    public async Task A_backordered_order_waits_in_the_queue_for_stock_and_leaves_it_when_routed_again()
    {
        var world = await World.CreateAsync(api, stockA: 0, stockB: 0);
        var campaign = await CampaignAsync(world, "Backorder", suggestSubstitutes: false);
        var order = (await world.AsCustomer(world.CustomerX).PostJsonAsync($"/api/campaigns/{campaign}/orders", new { quantity = 4 }, "k-1")).Expect(HttpStatusCode.Created);
        Assert.Equal(("Backordered", "insufficientStock"), ((string?)order["status"], (string?)order["cause"]));
        var id = (string)order["orderId"]!;

        var entry = await InQueueAsync(world, id) ?? throw new Xunit.Sdk.XunitException($"{id} is not in the queue");
        Assert.Equal(("Backordered", "insufficientStock"), ((string?)entry["status"], (string?)entry["cause"]));
        Assert.Equal(["reroute", "cancel"], Actions(entry));

        // The suggested action, once stock is in: routed again, allocated, out of the queue.
        await world.SetStockAsync(world.DistributorA, 10, 0);
        var rerouted = await Eventually.UntilAsync(() => world.Ops.PostJsonAsync($"/api/orders/{id}/reroute", new { }),
            r => r.Status == HttpStatusCode.OK, "the reroute to find the new stock");
        Assert.Equal("Allocated", (string?)rerouted.Json["status"]);
        Assert.Null(rerouted.Json["cause"]);
        Assert.Null(await InQueueAsync(world, id));
    }

    [Fact]
    public async Task An_order_the_policy_sends_to_review_is_queued_as_manual_review_and_cancelled_with_one_click()
    {
        var world = await World.CreateAsync(api, stockA: 0, stockB: 0);
        var campaign = await CampaignAsync(world, "ManualReview", suggestSubstitutes: false);
        var id = (string)(await world.AsCustomer(world.CustomerX).PostJsonAsync($"/api/campaigns/{campaign}/orders", new { quantity = 2 }, "k-1"))
            .Expect(HttpStatusCode.Created)["orderId"]!;

        var entry = await InQueueAsync(world, id) ?? throw new Xunit.Sdk.XunitException($"{id} is not in the queue");
        Assert.Equal(("Exception", "manualReviewPolicy"), ((string?)entry["status"], (string?)entry["cause"]));
        (await world.Ops.PostJsonAsync($"/api/orders/{id}/cancel", new { reason = "the grower ordered elsewhere" })).Expect(HttpStatusCode.OK);
        Assert.Null(await InQueueAsync(world, id));
    }

    [Fact]
    public async Task An_order_awaiting_a_substitute_offers_to_accept_each_one()
    {
        var world = await World.CreateAsync(api, stockA: 0, stockB: 0);
        var substitute = $"UREA-{world.Tag}-40";
        (await world.Ops.PostJsonAsync("/api/products", new { sku = substitute, name = "Urea 40 kg" })).Expect(HttpStatusCode.Created);
        (await world.Ops.PutJsonAsync($"/api/distributors/{world.DistributorA}/inventory/{substitute}", new { onHand = 50, threshold = 0 })).Expect(HttpStatusCode.OK);
        var order = await Eventually.UntilAsync(
            async () => (await world.AsCustomer(world.CustomerX).PostJsonAsync("/api/orders", new { lines = new[] { new { sku = world.Sku, quantity = 3 } } }, Guid.NewGuid().ToString()))
                .Expect(HttpStatusCode.Created),
            o => (string?)o["status"] == "AwaitingSubstitution", "the substitute's stock to be seen by routing");
        var id = (string)order["orderId"]!;

        var entry = await InQueueAsync(world, id) ?? throw new Xunit.Sdk.XunitException($"{id} is not in the queue");
        Assert.Equal("insufficientStock", (string?)entry["cause"]);
        Assert.Equal([$"acceptSubstitute:{substitute}", "reroute", "cancel"], Actions(entry));
        var accepted = (await world.Ops.PostJsonAsync($"/api/orders/{id}/reroute", new { substituteSku = substitute })).Expect(HttpStatusCode.OK);
        Assert.Equal("Allocated", (string?)accepted["status"]);
        Assert.Null(await InQueueAsync(world, id));
    }

    [Fact]
    public async Task The_queue_is_for_ops()
    {
        var world = await World.CreateAsync(api);
        (await world.AsCustomer(world.CustomerX).GetJsonAsync("/api/exceptions")).ExpectProblem(HttpStatusCode.Forbidden);
        (await world.AsDistributor(world.DistributorA).GetJsonAsync("/api/exceptions")).ExpectProblem(HttpStatusCode.Forbidden);
    }
}
