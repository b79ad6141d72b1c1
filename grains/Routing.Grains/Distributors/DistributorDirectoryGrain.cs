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
/// and silo-local caches read it at most a few times a second each. Snapshots are live data: a new activation asks
/// every known distributor for one, and its first reads wait (up to <see cref="RebuildWait"/>) until all have answered,
/// so an order placed just after the directory came back (idle collection, a dead silo) is not refused for want of
/// distributors it simply had not heard from yet.</summary>
[Reentrant]
public sealed class DistributorDirectoryGrain(
    [PersistentState("directory", StorageNames.Routing)] IPersistentState<DirectoryState> state) : Grain, IDistributorDirectoryGrain
{
    public static readonly TimeSpan RebuildWait = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, DistributorSnapshot> _snapshots = new(StringComparer.Ordinal);
    private ImmutableArray<DistributorSnapshot>? _all;
    /// <summary>Known distributors not heard from since this activation began, and the signal that all have been.</summary>
    private readonly HashSet<string> _notYetHeard = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _rebuilt = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Snapshots are not stored: ask every known distributor to send a fresh one. (Not awaited here: a distributor
        // activating for it sends its snapshot to this grain, which takes calls only once this method returns.)
        _notYetHeard.UnionWith(state.State.DistributorIds);
        if (_notYetHeard.Count == 0) _rebuilt.TrySetResult();
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
            if (_notYetHeard.Remove(snapshot.Id) && _notYetHeard.Count == 0) _rebuilt.TrySetResult();
        }
        if (added) await state.SaveAsync(this);
    }

    public async Task<ImmutableArray<DistributorSnapshot>> GetSnapshotsAsync()
    {
        if (!_rebuilt.Task.IsCompleted)
        {
            // Reentrant: the distributors' snapshots arrive while this read waits.
            try { await _rebuilt.Task.WaitAsync(RebuildWait); }
            catch (TimeoutException) { _rebuilt.TrySetResult(); } // a distributor that does not answer is not waited for again
        }
        _all ??= [.. _snapshots.Values.OrderBy(s => s.Id, StringComparer.Ordinal)];
        return _all.Value;
    }
}
