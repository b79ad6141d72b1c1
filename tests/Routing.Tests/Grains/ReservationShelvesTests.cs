using Routing.Domain;
using Routing.Grains.Distributors;

namespace Routing.Tests.Grains;

/// <summary>A distributor keeps its open reservations on shelves of growing size so that writes stay small in a long
/// sale: reservations on any shelf must survive reactivation, release and shipping alike.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReservationShelvesTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Reservations_on_every_shelf_survive_reactivation_and_release_and_ship_from_any_shelf()
    {
        var scenario = new GrainWorld(cluster);
        var count = ReservationBook.Limits.Sum() + 300;
        var distributorId = await scenario.DistributorAsync(onHand: count + 100);
        var distributor = scenario.Distributor(distributorId);
        var orders = Enumerable.Range(0, count).Select(i => $"{distributorId}-o{i:0000}").ToList();

        // Hundreds at a time: shelves move while other reservations are in flight on this reentrant grain.
        foreach (var batch in orders.Chunk(400))
        {
            var results = await Task.WhenAll(batch.Select(o => distributor.ReserveAsync(o, [new OrderLine(scenario.Sku, 1)])));
            Assert.All(results, r => Assert.True(r.Success, r.Reason));
        }
        // One early (archived) and one late (recent) reservation released, one of each shipped.
        await distributor.ReleaseAsync(orders[0]);
        await distributor.ReleaseAsync(orders[^1]);
        Assert.True(await distributor.ShipAsync(orders[1]));
        Assert.True(await distributor.ShipAsync(orders[^2]));

        await cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var open = (await distributor.GetReservationsAsync()).Select(r => r.OrderId).ToHashSet();
        Assert.Equal([.. orders.Skip(2).SkipLast(2)], open);
        var item = await scenario.StockAsync(distributorId);
        Assert.Equal((count + 100 - 2, count - 4), (item.OnHand, item.Reserved));
        // Retrying a reservation from any shelf reserves nothing twice.
        Assert.True((await distributor.ReserveAsync(orders[2], [new OrderLine(scenario.Sku, 1)])).Success);
        Assert.True((await distributor.ReserveAsync(orders[^3], [new OrderLine(scenario.Sku, 1)])).Success);
        Assert.Equal(count - 4, (await scenario.StockAsync(distributorId)).Reserved);
    }
}
