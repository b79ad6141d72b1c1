using Microsoft.Extensions.Time.Testing;
using Routing.Contracts.Distributors;
using Routing.Grains.Infrastructure;

namespace Routing.Tests.Grains;

/// <summary>What order grains route with: the distributor directory as last loaded, kept for its time to live unless an
/// order needs data loaded after it started. On a fake clock, so the time to live passes when the test says.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReadModelTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Snapshots_are_served_from_memory_until_their_time_to_live_is_over_or_a_reader_needs_newer()
    {
        var clock = new FakeTimeProvider();
        var readModel = new RoutingReadModel(cluster.Client, clock);
        var world = new GrainWorld(cluster);
        var first = await DistributorListedAsync(world);
        Assert.Contains(await readModel.GetSnapshotsAsync(), s => s.Id == first);

        var second = await DistributorListedAsync(world);
        clock.Advance(RoutingReadModel.SnapshotTtl - TimeSpan.FromTicks(1));
        Assert.DoesNotContain(await readModel.GetSnapshotsAsync(), s => s.Id == second);
        // An order that found nothing to route to asks for data loaded after it started: loaded again at once.
        Assert.Contains(await readModel.GetSnapshotsAsync(loadedAfter: readModel.Now()), s => s.Id == second);

        var third = await DistributorListedAsync(world);
        clock.Advance(RoutingReadModel.SnapshotTtl - TimeSpan.FromTicks(1));
        Assert.DoesNotContain(await readModel.GetSnapshotsAsync(), s => s.Id == third);
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Contains(await readModel.GetSnapshotsAsync(), s => s.Id == third);
    }

    /// <summary>A new distributor of the world, once the directory lists it.</summary>
    private async Task<string> DistributorListedAsync(GrainWorld world)
    {
        var id = await world.DistributorAsync(onHand: 10);
        await Eventually.UntilAsync(() => cluster.Client.GetGrain<IDistributorDirectoryGrain>(0).GetSnapshotsAsync(),
            snapshots => snapshots.Any(s => s.Id == id), $"the directory to list {id}");
        return id;
    }
}
