using Routing.Contracts.Alerts;
using Routing.Domain;
using Routing.Grains.Alerts;

namespace Routing.Tests.Grains;

/// <summary>Distributors are told to restock the moment they need to: once per crossing, not once per order.</summary>
[Collection(ClusterCollection.Name)]
public sealed class StockAlertTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Low_stock_alert_fires_once_per_crossing_and_clears_on_restock()
    {
        var scenario = new GrainWorld(cluster);
        var distributor = await scenario.DistributorAsync(onHand: 20, threshold: 10);
        var campaign = await scenario.CampaignAsync(cap: 1_000, perCustomerLimit: 1_000);
        var customer = await scenario.CustomerAsync();
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync();

        // Available 20 → 17 → 14 → 11 → 8 (crossed) → 5 → 2: three orders land below the threshold.
        for (var i = 1; i <= 6; i++) await OrderAllocatedAsync(scenario, campaign, customer, quantity: 3, $"first-{i}");

        var first = Assert.Single(await AlertsAsync(scenario, distributor, AlertKind.LowStock));
        Assert.True(first.Open);
        Assert.Equal(1, first.Occurrences);
        Assert.Equal(scenario.Sku, first.Sku);

        var restocked = await scenario.Distributor(distributor).SetStockAsync(scenario.Sku, onHand: 48, threshold: 10);
        Assert.Equal(30, restocked.Item!.Available);

        var cleared = Assert.Single(await AlertsAsync(scenario, distributor, AlertKind.LowStock));
        Assert.Equal(first.Id, cleared.Id);
        Assert.NotNull(cleared.ClearedAt);
        Assert.False(cleared.Open);

        // Available 30 → 25 → 20 → 15 → 10 → 5 (crossed again).
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync();
        for (var i = 1; i <= 4; i++) await OrderAllocatedAsync(scenario, campaign, customer, quantity: 5, $"second-{i}");
        Assert.DoesNotContain(await AlertsAsync(scenario, distributor, AlertKind.LowStock), a => a.Open);
        await OrderAllocatedAsync(scenario, campaign, customer, quantity: 5, "second-5");

        var alerts = await AlertsAsync(scenario, distributor, AlertKind.LowStock);
        Assert.Equal(2, alerts.Count);
        var second = Assert.Single(alerts, a => a.Open);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(1, second.Occurrences);
    }

    [Fact]
    public async Task Out_of_stock_alert_fires_once_when_nothing_is_left_available()
    {
        var scenario = new GrainWorld(cluster);
        var distributor = await scenario.DistributorAsync(onHand: 6, threshold: 2);
        var campaign = await scenario.CampaignAsync(cap: 1_000, perCustomerLimit: 1_000);
        var customer = await scenario.CustomerAsync();
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync();

        await OrderAllocatedAsync(scenario, campaign, customer, quantity: 3, "a");
        Assert.Empty(await AlertsAsync(scenario, distributor, AlertKind.OutOfStock));
        await OrderAllocatedAsync(scenario, campaign, customer, quantity: 3, "b");
        var rejected = await scenario.OrderAsync(campaign, customer, quantity: 1, idempotencyKey: "c");
        Assert.Equal(OrderStatus.Rejected, rejected.Order!.Status);

        var outOfStock = Assert.Single(await AlertsAsync(scenario, distributor, AlertKind.OutOfStock));
        Assert.True(outOfStock.Open);
        Assert.Equal(1, outOfStock.Occurrences);
        Assert.Equal(1, Assert.Single(await AlertsAsync(scenario, distributor, AlertKind.LowStock)).Occurrences);

        await scenario.Distributor(distributor).SetStockAsync(scenario.Sku, onHand: 16, threshold: 2);

        Assert.NotNull(Assert.Single(await AlertsAsync(scenario, distributor, AlertKind.OutOfStock)).ClearedAt);
    }

    private static async Task OrderAllocatedAsync(GrainWorld scenario, string campaign, string customer, int quantity, string key)
    {
        var result = await scenario.OrderAsync(campaign, customer, quantity, key);
        Assert.Equal(OrderStatus.Allocated, result.Order?.Status);
    }

    private static async Task<List<Alert>> AlertsAsync(GrainWorld scenario, string distributor, AlertKind kind) =>
        [.. (await scenario.Grains.GetGrain<IAlertLogGrain>(0).ListAsync(new AlertQuery(DistributorId: distributor, Limit: AlertLogGrain.Retained))).Where(a => a.Kind == kind && a.Sku == scenario.Sku)];
}
