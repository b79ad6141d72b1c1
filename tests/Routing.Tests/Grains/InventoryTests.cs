using Routing.Contracts.Distributors;
using Routing.Contracts.Orders;
using Routing.Domain;

namespace Routing.Tests.Grains;

/// <summary>Stock never oversells: the distributor grain is the authority, whatever the routing snapshots say.</summary>
[Collection(ClusterCollection.Name)]
public sealed class InventoryTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Reservation_never_exceeds_on_hand_under_concurrent_orders()
    {
        var scenario = new GrainWorld(cluster);
        int[] onHand = [30, 25, 20, 15, 10];
        foreach (var units in onHand) await scenario.DistributorAsync(units);
        var campaign = await scenario.CampaignAsync(cap: 10_000, perCustomerLimit: 1);
        var customers = await scenario.CustomersAsync(1_000);
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync();
        using var ordersPerSilo = new OrdersPerSilo(cluster, campaign);

        var results = await Task.WhenAll(customers.Select(c => scenario.OrderAsync(campaign, c, quantity: 1)));

        Assert.All(ordersPerSilo.Counts, placed => Assert.True(placed > 0, $"orders placed per silo: {string.Join(", ", ordersPerSilo.Counts)}"));
        Assert.All(results, r => Assert.Equal(PlaceOutcome.Created, r.Outcome));
        var orders = results.Select(r => r.Order!).ToList();
        var allocated = orders.Where(o => o.Status == OrderStatus.Allocated).ToList();
        Assert.Equal(onHand.Sum(), allocated.Sum(o => o.Allocations.Sum(a => a.Quantity)));
        Assert.All(orders.Except(allocated), o =>
        {
            Assert.Equal(OrderStatus.Rejected, o.Status);
            Assert.Empty(o.Allocations);
        });

        for (var i = 0; i < onHand.Length; i++)
        {
            var distributor = scenario.Distributors[i];
            var item = await scenario.StockAsync(distributor);
            var allocatedHere = allocated.SelectMany(o => o.Allocations).Where(a => a.DistributorId == distributor).ToList();
            Assert.Equal(onHand[i], item.OnHand);
            Assert.True(item.Reserved <= item.OnHand, $"{distributor}: {item.Reserved} reserved of {item.OnHand} on hand");
            Assert.Equal(allocatedHere.Sum(a => a.Quantity), item.Reserved);

            var reservations = await scenario.Distributor(distributor).GetReservationsAsync();
            Assert.Equal(
                allocated.Where(o => o.Allocations.Any(a => a.DistributorId == distributor)).Select(o => o.OrderId).Order(),
                reservations.Select(r => r.OrderId).Order());
        }
    }

    [Fact]
    public async Task Stock_cannot_be_set_below_what_is_already_reserved()
    {
        var scenario = new GrainWorld(cluster);
        var distributor = await scenario.DistributorAsync(onHand: 10);
        var campaign = await scenario.CampaignAsync(cap: 100, perCustomerLimit: 10);
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync();
        var order = await scenario.OrderAsync(campaign, await scenario.CustomerAsync(), quantity: 6);
        Assert.Equal(OrderStatus.Allocated, order.Order!.Status);

        var refused = await scenario.Distributor(distributor).SetStockAsync(scenario.Sku, onHand: 5, threshold: 0);

        Assert.Equal(StockUpdateOutcome.BelowReserved, refused.Outcome);
        var item = await scenario.StockAsync(distributor);
        Assert.Equal((10, 6), (item.OnHand, item.Reserved));
    }

    [Fact]
    public async Task A_new_distributor_is_in_the_routing_directory_as_soon_as_its_profile_and_stock_are_set()
    {
        var scenario = new GrainWorld(cluster);
        var directory = scenario.Grains.GetGrain<IDistributorDirectoryGrain>(0);

        var distributor = await scenario.DistributorAsync(onHand: 40);

        var snapshot = Assert.Single(await directory.GetSnapshotsAsync(), s => s.Id == distributor);
        Assert.True(snapshot.Active);
        Assert.Equal(40, snapshot.Available(scenario.Sku));

        await scenario.Distributor(distributor).SetStockAsync(scenario.Sku, onHand: 55, threshold: 5);
        snapshot = Assert.Single(await directory.GetSnapshotsAsync(), s => s.Id == distributor);
        Assert.Equal(55, snapshot.Available(scenario.Sku));
    }

    [Fact]
    public async Task An_order_placed_right_after_a_new_distributor_is_stocked_is_routed_to_it()
    {
        var scenario = new GrainWorld(cluster);
        var customer = await scenario.CustomerAsync();
        // Every silo has just cached the directory as it was before this distributor existed.
        foreach (var readModel in cluster.ReadModels) await readModel.GetSnapshotsAsync();

        var distributor = await scenario.DistributorAsync(onHand: 40);
        var campaign = await scenario.CampaignAsync(cap: 100, perCustomerLimit: 10);
        var order = (await scenario.OrderAsync(campaign, customer, quantity: 4)).Order!;

        Assert.Equal(OrderStatus.Allocated, order.Status);
        Assert.Equal(distributor, Assert.Single(order.Allocations).DistributorId);
        Assert.Equal(4, (await scenario.StockAsync(distributor)).Reserved);
    }
}
