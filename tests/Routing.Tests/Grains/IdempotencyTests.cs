using Routing.Contracts.Customers;
using Routing.Contracts.Orders;
using Routing.Domain;

namespace Routing.Tests.Grains;

/// <summary>A retried request with the same idempotency key gets the same answer and allocates nothing twice.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IdempotencyTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Concurrent_retries_of_one_order_allocate_once_and_all_get_the_same_order()
    {
        var scenario = new GrainWorld(cluster);
        var distributor = await scenario.DistributorAsync(onHand: 100);
        var campaign = await scenario.CampaignAsync(cap: 1_000, perCustomerLimit: 10);
        var customer = await scenario.CustomerAsync();
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync();
        var command = scenario.PlaceOrder(campaign, customer, quantity: 3, idempotencyKey: "retry-me");

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => scenario.Grains.GetGrain<ICustomerGrain>(customer).PlaceAsync(command)));

        Assert.Single(results, r => r.Outcome == PlaceOutcome.Created);
        Assert.All(results, r => Assert.Contains(r.Outcome, new[] { PlaceOutcome.Created, PlaceOutcome.Replayed }));
        var first = results[0].Order!;
        Assert.Equal(OrderIds.For(customer, "retry-me"), first.OrderId);
        Assert.Equal(OrderStatus.Allocated, first.Status);
        Assert.All(results.Select(r => r.Order!), o =>
        {
            Assert.Equal(first.OrderId, o.OrderId);
            Assert.Equal(first.Status, o.Status);
            Assert.Equal(first.Allocations, o.Allocations);
            Assert.Equal(first.PlacedAt, o.PlacedAt);
        });

        var item = await scenario.StockAsync(distributor);
        Assert.Equal((100, 3), (item.OnHand, item.Reserved));
        var reservation = Assert.Single(await scenario.Distributor(distributor).GetReservationsAsync());
        Assert.Equal(first.OrderId, reservation.OrderId);
        Assert.Equal(3, reservation.Lines.Sum(l => l.Quantity));
        await scenario.CampaignSoldAsync(campaign, 3);
    }

    [Fact]
    public async Task Same_idempotency_key_with_a_different_quantity_is_a_conflict_and_changes_nothing()
    {
        var scenario = new GrainWorld(cluster);
        var distributor = await scenario.DistributorAsync(onHand: 100);
        var campaign = await scenario.CampaignAsync(cap: 1_000, perCustomerLimit: 5);
        var customer = await scenario.CustomerAsync();
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync();
        var original = (await scenario.OrderAsync(campaign, customer, quantity: 3, idempotencyKey: "once")).Order!;
        Assert.Equal(OrderStatus.Allocated, original.Status);

        var conflict = await scenario.OrderAsync(campaign, customer, quantity: 4, idempotencyKey: "once");

        Assert.Equal(PlaceOutcome.IdempotencyConflict, conflict.Outcome);
        Assert.Null(conflict.Order);
        var stored = (await scenario.Order(customer, "once").GetAsync())!;
        Assert.Equal(3, Assert.Single(stored.Lines).Quantity);
        Assert.Equal(original.Allocations, stored.Allocations);
        Assert.Equal(OrderStatus.Allocated, stored.Status);
        Assert.Equal(3, (await scenario.StockAsync(distributor)).Reserved);
        Assert.Single(await scenario.Distributor(distributor).GetReservationsAsync());
        // The conflicting request counted nothing against the customer's limit of 5: 2 more units are still allowed.
        var rest = await scenario.OrderAsync(campaign, customer, quantity: 2, idempotencyKey: "twice");
        Assert.Equal(OrderStatus.Allocated, rest.Order!.Status);
        await scenario.CampaignSoldAsync(campaign, 5);
    }
}
