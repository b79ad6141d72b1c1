using Routing.Contracts.Catalog;
using Routing.Contracts.Orders;
using Routing.Domain;

namespace Routing.Tests.Grains;

/// <summary>Orders that could not be allocated at first: a customer accepts a suggested substitute, or a backordered
/// order is routed again once stock arrives. Nothing changes unless the order can be allocated in full.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RerouteTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Accepting_a_suggested_substitute_allocates_it_and_records_the_substitution()
    {
        var scenario = new GrainWorld(cluster);
        var distributor = await scenario.DistributorAsync(onHand: 0);
        var campaign = await scenario.CampaignAsync(cap: 100, perCustomerLimit: 10);
        var substitute = $"{scenario.Sku}-40";
        var catalog = scenario.Grains.GetGrain<IProductCatalogGrain>(0);
        await catalog.UpsertAsync(new Product(substitute, "Urea 40 kg", "bag", null, []));
        await catalog.UpsertAsync(new Product(scenario.Sku, "Urea 50 kg", "bag", null, [substitute]));
        await scenario.Distributor(distributor).SetStockAsync(substitute, onHand: 50, threshold: 0);
        var customer = await scenario.CustomerAsync();
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync();
        await Eventually.UntilAsync(() => Task.WhenAll(cluster.ReadModels.Select(m => m.GetProductsAsync())),
            all => all.All(products => products.TryGetValue(scenario.Sku, out var p) && p.Substitutes.Contains(substitute)),
            "every silo to know the substitute");

        var placed = (await scenario.OrderAsync(campaign, customer, quantity: 5)).Order!;
        Assert.Equal(OrderStatus.AwaitingSubstitution, placed.Status);
        Assert.Contains(placed.Suggestions, s => s.SubstituteSku == substitute && s.AvailableNearby >= 5);
        var order = scenario.Order(customer, "k-1");

        var refused = await order.RerouteAsync("NOT-SUGGESTED");
        Assert.Equal(TransitionOutcome.NotAllowed, refused.Outcome);
        var unchanged = (await order.GetAsync())!;
        Assert.Equal((placed.Status, placed.UpdatedAt), (unchanged.Status, unchanged.UpdatedAt));
        Assert.Empty(unchanged.Allocations);
        Assert.Equal(0, (await scenario.Distributor(distributor).GetInventoryAsync()).Single(i => i.Sku == substitute).Reserved);

        var accepted = await order.RerouteAsync(substitute);

        Assert.Equal(TransitionOutcome.Done, accepted.Outcome);
        Assert.Equal(OrderStatus.Allocated, accepted.Order!.Status);
        Assert.Equal([new Allocation(distributor, substitute, 5)], accepted.Order.Allocations);
        Assert.Equal([new Substitution(scenario.Sku, substitute, 5)], accepted.Order.Substitutions);
        Assert.Equal(5, (await scenario.Distributor(distributor).GetInventoryAsync()).Single(i => i.Sku == substitute).Reserved);
        Assert.Equal(TransitionOutcome.NotAllowed, (await order.RerouteAsync(substitute)).Outcome);
        Assert.Equal(5, (await scenario.Distributor(distributor).GetInventoryAsync()).Single(i => i.Sku == substitute).Reserved);
    }

    [Fact]
    public async Task A_backordered_order_is_allocated_when_routed_again_after_a_restock()
    {
        var scenario = new GrainWorld(cluster);
        var distributor = await scenario.DistributorAsync(onHand: 2);
        var policy = await scenario.PolicyAsync(new RoutingPolicy("backorder", SuggestSubstitutes: false, Fallback: FallbackAction.Backorder));
        var campaign = await scenario.CampaignAsync(cap: 100, perCustomerLimit: 10, policy.Id);
        var customer = await scenario.CustomerAsync();
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync(policy.Id);

        Assert.Equal(OrderStatus.Backordered, (await scenario.OrderAsync(campaign, customer, quantity: 5)).Order!.Status);
        var order = scenario.Order(customer, "k-1");
        Assert.Equal(TransitionOutcome.NotAllowed, (await order.RerouteAsync(null)).Outcome);
        Assert.Equal(OrderStatus.Backordered, (await order.GetAsync())!.Status);

        await scenario.Distributor(distributor).SetStockAsync(scenario.Sku, onHand: 20, threshold: 0);
        var rerouted = await order.RerouteAsync(null);

        Assert.Equal(TransitionOutcome.Done, rerouted.Outcome);
        Assert.Equal([new Allocation(distributor, scenario.Sku, 5)], rerouted.Order!.Allocations);
        Assert.Equal(5, (await scenario.StockAsync(distributor)).Reserved);
    }
}
