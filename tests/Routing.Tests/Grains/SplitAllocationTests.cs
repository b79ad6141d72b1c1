using Routing.Contracts.Distributors;
using Routing.Domain;

namespace Routing.Tests.Grains;

/// <summary>An order split across distributors is reserved all or nothing: never half an order held somewhere.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SplitAllocationTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Split_orders_are_reserved_all_or_nothing_under_concurrent_orders()
    {
        const int perDistributor = 9, quantity = 10;
        var scenario = new GrainWorld(cluster);
        var policy = await scenario.PolicyAsync(new RoutingPolicy("split", HomeFirst: false, Weights: new RankingWeights(),
            Split: SplitPolicy.SplitQuantity, MaxSplits: 3, SuggestSubstitutes: false, Fallback: FallbackAction.Reject));
        for (var i = 0; i < 8; i++) await scenario.DistributorAsync(perDistributor);
        var campaign = await scenario.CampaignAsync(cap: 10_000, perCustomerLimit: quantity, policyId: policy.Id);
        var customers = await scenario.CustomersAsync(60);
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync(policy.Id);

        // No distributor holds a whole order, and 600 units are asked for against 72.
        var orders = (await Task.WhenAll(customers.Select(c => scenario.OrderAsync(campaign, c, quantity)))).Select(r => r.Order!).ToList();

        var reservations = new Dictionary<string, IReadOnlyList<Reservation>>();
        foreach (var d in scenario.Distributors) reservations[d] = await scenario.Distributor(d).GetReservationsAsync();
        var allocated = orders.Where(o => o.Status == OrderStatus.Allocated).ToList();
        Assert.NotEmpty(allocated);
        Assert.All(orders, o => Assert.Contains(o.Status, new[] { OrderStatus.Allocated, OrderStatus.Rejected }));
        Assert.All(allocated, o =>
        {
            Assert.Equal(quantity, o.Allocations.Sum(a => a.Quantity));
            Assert.InRange(o.Allocations.Select(a => a.DistributorId).Distinct().Count(), 2, policy.MaxSplits);
            foreach (var d in scenario.Distributors)
            {
                var held = reservations[d].Where(r => r.OrderId == o.OrderId).SelectMany(r => r.Lines).Sum(l => l.Quantity);
                Assert.Equal(o.Allocations.Where(a => a.DistributorId == d).Sum(a => a.Quantity), held);
            }
        });
        Assert.All(orders.Except(allocated), o =>
        {
            Assert.Empty(o.Allocations);
            Assert.All(scenario.Distributors, d => Assert.DoesNotContain(reservations[d], r => r.OrderId == o.OrderId));
        });
        foreach (var d in scenario.Distributors)
        {
            var item = await scenario.StockAsync(d);
            Assert.Equal(perDistributor, item.OnHand);
            Assert.True(item.Reserved <= item.OnHand, $"{d}: {item.Reserved} reserved of {item.OnHand} on hand");
            Assert.Equal(reservations[d].SelectMany(r => r.Lines).Sum(l => l.Quantity), item.Reserved);
        }
    }
}
