using System.Collections.Immutable;
using Routing.Domain;

namespace Routing.Contracts.Distributors;

/// <summary>Routing snapshots of every distributor (key 0), pushed on change through each silo's outbox, coalesced.
/// Lets the router see all candidates without calling each distributor per order.</summary>
public interface IDistributorDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Takes each distributor's snapshot unless the directory holds a newer one (by version).</summary>
    Task UpdateManyAsync(IReadOnlyList<DistributorSnapshot> snapshots);

    [ReadOnly] Task<ImmutableArray<DistributorSnapshot>> GetSnapshotsAsync();
}
