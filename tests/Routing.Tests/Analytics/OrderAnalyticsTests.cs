using System.Net;
using Routing.Tests.Api;

namespace Routing.Tests.Analytics;

/// <summary>Order analytics (OPERATIONS.md "Forecast and analytics", 订单经营) against a known sequence of orders: what each
/// figure counts (<c>Routing.Grains.History.OrderAnalytics</c>), scoped to the caller.</summary>
[Collection(ApiCollection.Name)]
public sealed class OrderAnalyticsTests(ApiFactory api)
{
    [Fact]
    public async Task Analytics_count_a_known_sequence_of_orders_cancels_and_failures() => await CheckAsync(await SequenceAsync(api));

    /// <summary>The sequence: X (homed at A) orders 5 and 3, Y (homed at B) orders 4, each allocated at home; the 5 is
    /// confirmed, the 3 cancelled; then, with no stock left anywhere, X's order of 2 fails.</summary>
    internal static async Task<World> SequenceAsync(ApiFactory api)
    {
        var world = await World.CreateAsync(api, stockA: 100, stockB: 100, threshold: 0);
        var first = (string)(await world.OrderAsync(world.CustomerX, 5)).Expect(HttpStatusCode.Created)["orderId"]!;
        var second = (await world.OrderAsync(world.CustomerY, 4)).Expect(HttpStatusCode.Created);
        Assert.Equal(world.DistributorB, (string?)second["allocations"]![0]!["distributorId"]);
        var third = (string)(await world.OrderAsync(world.CustomerX, 3)).Expect(HttpStatusCode.Created)["orderId"]!;
        (await world.Ops.PostJsonAsync($"/api/orders/{first}/confirm", null)).Expect(HttpStatusCode.OK);
        (await world.Ops.PostJsonAsync($"/api/orders/{third}/cancel", new { reason = "changed my mind" })).Expect(HttpStatusCode.OK);
        await world.SetStockAsync(world.DistributorA, 5, 0);
        await world.SetStockAsync(world.DistributorB, 4, 0);
        // Routing may still see the old stock; the reservation is the authority and refuses, so the order fails either way.
        Assert.NotEqual("Allocated", (string?)(await world.OrderAsync(world.CustomerX, 2)).Expect(HttpStatusCode.Created)["status"]);
        return world;
    }

    internal static async Task CheckAsync(World world)
    {
        var analytics = (await world.Ops.GetJsonAsync($"/api/analytics/orders?campaignId={world.Campaign}")).Expect(HttpStatusCode.OK);
        var orders = analytics["orders"]!;
        Assert.Equal((4, 2, 1, 0), ((int)orders["placed"]!, (int)orders["allocated"]!, (int)orders["cancelled"]!, (int)orders["onHold"]!));
        Assert.Equal(1, (int)orders["rejected"]! + (int)orders["exception"]!);
        Assert.Equal((14, 12), ((int)analytics["units"]!["ordered"]!, (int)analytics["units"]!["allocated"]!));
        Assert.Equal((0.8571, 0.75, 1.0), ((double)analytics["fillRate"]!, (double)analytics["orderFillRate"]!, (double)analytics["homeDistributorRate"]!));
        var reason = Assert.Single(analytics["failureReasons"]!.AsArray())!;
        Assert.Equal(("insufficientStock", 1), ((string)reason["code"]!, (int)reason["count"]!));
        var hours = analytics["byHour"]!.AsArray();
        Assert.Equal(24, hours.Count);
        Assert.Equal(4, hours.Sum(h => (int)h!["orders"]!));
        var hour = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Hour;
        Assert.True(hours.Where(h => (int)h!["hour"]! == hour || (int)h["hour"]! == (hour + 23) % 24).Sum(h => (int)h!["orders"]!) == 4,
            "every order was placed in this hour (or the one before, at its turn), China time");
        var byDistributor = analytics["byDistributor"]!.AsArray();
        var a = byDistributor.Single(d => (string?)d!["distributorId"] == world.DistributorA)!;
        var b = byDistributor.Single(d => (string?)d!["distributorId"] == world.DistributorB)!;
        Assert.Equal((2, 8), ((int)a["orders"]!, (int)a["units"]!));
        Assert.InRange((double)a["confirmMedianMinutes"]!, 0, 60);
        Assert.Equal((1, 4), ((int)b["orders"]!, (int)b["units"]!));
        Assert.Null(b["confirmMedianMinutes"]);

        // A distributor sees its own part only, whichever it asks for.
        var own = (await world.AsDistributor(world.DistributorB).GetJsonAsync($"/api/analytics/orders?campaignId={world.Campaign}&distributorId={world.DistributorA}"))
            .Expect(HttpStatusCode.OK);
        Assert.Equal((world.DistributorB, 1, 4, 4), ((string)own["distributorId"]!, (int)own["orders"]!["placed"]!, (int)own["units"]!["ordered"]!, (int)own["units"]!["allocated"]!));
        Assert.Equal([world.DistributorB], own["byDistributor"]!.AsArray().Select(d => (string)d!["distributorId"]!));
        Assert.Empty(own["failureReasons"]!.AsArray());

        // A period before the orders has none; CSV for a spreadsheet; others may not look; bad input is refused.
        var before = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-3).ToString("O"));
        var earlier = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-2).ToString("O"));
        Assert.Equal(0, (int)(await world.Ops.GetJsonAsync($"/api/analytics/orders?campaignId={world.Campaign}&from={before}&to={earlier}"))
            .Expect(HttpStatusCode.OK)["orders"]!["placed"]!);
        var csv = await world.Ops.GetJsonAsync($"/api/analytics/orders?campaignId={world.Campaign}&format=csv");
        Assert.Equal("text/csv", csv.ContentType);
        Assert.Contains("orders,placed,4\n", csv.Text, StringComparison.Ordinal);
        Assert.Contains($"distributorUnits,{world.DistributorA},8\n", csv.Text, StringComparison.Ordinal);
        (await world.AsCustomer(world.CustomerX).GetJsonAsync("/api/analytics/orders")).ExpectProblem(HttpStatusCode.Forbidden);
        Assert.Equal("badFormat", (string?)(await world.Ops.GetJsonAsync("/api/analytics/orders?format=xml")).ExpectProblem(HttpStatusCode.BadRequest)["code"]);
        Assert.Equal("badRange", (string?)(await world.Ops.GetJsonAsync($"/api/analytics/orders?from={earlier}&to={before}")).ExpectProblem(HttpStatusCode.BadRequest)["code"]);
    }
}
