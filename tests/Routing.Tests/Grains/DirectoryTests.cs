using Routing.Contracts.Distributors;
using Routing.Domain;

namespace Routing.Tests.Grains;

/// <summary>The directory of routing snapshots, fed by every silo's outbox: a snapshot that arrives late never replaces a
/// newer one, and a distributor's reservations reach it without a call per reservation.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DirectoryTests(ClusterFixture cluster)
{
    [Fact]
    public async Task An_older_snapshot_arriving_after_a_newer_one_is_ignored()
    {
        var directory = cluster.Client.GetGrain<IDistributorDirectoryGrain>(0);
        var id = $"d-dir-{Guid.NewGuid():N}";
        // Inactive and covering no region: no other test's order can route to it.
        DistributorSnapshot At(long version, int available) => new(id, Active: false, [], new GeoPoint(0, 0), 1, 0, 0,
            new Dictionary<string, StockLevel> { ["SKU"] = new(available, 0) }, version);

        await directory.UpdateManyAsync([At(5, 50)]);
        await directory.UpdateManyAsync([At(3, 30)]);
        Assert.Equal(50, (await directory.GetSnapshotsAsync()).Single(s => s.Id == id).Available("SKU"));
        await directory.UpdateManyAsync([At(5, 55), At(6, 60)]);
        var latest = (await directory.GetSnapshotsAsync()).Single(s => s.Id == id);
        Assert.Equal((6L, 60), (latest.Version, latest.Available("SKU")));
    }

    [Fact]
    public async Task Reservations_reach_the_directory_through_the_outbox()
    {
        var scenario = new GrainWorld(cluster);
        var distributorId = await scenario.DistributorAsync(onHand: 100);
        var distributor = scenario.Distributor(distributorId);
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => distributor.ReserveAsync($"{distributorId}-o{i}", [new OrderLine(scenario.Sku, 1)])));

        await Eventually.UntilAsync(async () => (await cluster.Client.GetGrain<IDistributorDirectoryGrain>(0).GetSnapshotsAsync())
            .Single(s => s.Id == distributorId).Available(scenario.Sku), available => available == 60, "the directory to show 60 available");
    }
}
