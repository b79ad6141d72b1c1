using System.Collections.Immutable;
using Routing.Contracts.Distributors;
using Routing.Domain;
using Routing.Grains.Infrastructure;

namespace Routing.Grains.Distributors;

/// <summary>Persistent state of the directory: which distributors exist. Their snapshots are live data, rebuilt on activation.</summary>
[GenerateSerializer]
public sealed class DirectoryState
{
    [Id(0)] public HashSet<string> DistributorIds { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Routing snapshots of all distributors. Reentrant: every change is synchronous between awaits,
/// and silo-local caches read it at most a few times a second each.</summary>
[Reentrant]
public sealed class DistributorDirectoryGrain(
    [PersistentState("directory", StorageNames.Routing)] IPersistentState<DirectoryState> state) : Grain, IDistributorDirectoryGrain
{
    private readonly Dictionary<string, DistributorSnapshot> _snapshots = new(StringComparer.Ordinal);
    private ImmutableArray<DistributorSnapshot>? _all;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Snapshots are not stored: ask every known distributor to send a fresh one.
        foreach (var id in state.State.DistributorIds)
            GrainFactory.GetGrain<IDistributorGrain>(id).PublishSnapshotAsync().Ignore();
        return Task.CompletedTask;
    }

    public async Task UpdateManyAsync(IReadOnlyList<DistributorSnapshot> snapshots)
    {
        var added = false;
        foreach (var snapshot in snapshots)
        {
            if (_snapshots.TryGetValue(snapshot.Id, out var held) && held.Version > snapshot.Version) continue;
            _snapshots[snapshot.Id] = snapshot;
            _all = null;
            added |= state.State.DistributorIds.Add(snapshot.Id);
        }
        if (added) await state.SaveAsync(this);
    }

    public Task<ImmutableArray<DistributorSnapshot>> GetSnapshotsAsync()
    {
        _all ??= [.. _snapshots.Values.OrderBy(s => s.Id, StringComparer.Ordinal)];
        return Task.FromResult(_all.Value);
    }
}
