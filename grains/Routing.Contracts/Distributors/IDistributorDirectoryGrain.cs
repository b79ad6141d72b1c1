using System.Collections.Immutable;
using Routing.Domain;

namespace Routing.Contracts.Distributors;

/// <summary>Routing snapshots of every distributor (key 0), pushed by the distributors on change, coalesced.
/// Lets the router see all candidates without calling each distributor per order.</summary>
public interface IDistributorDirectoryGrain : IGrainWithIntegerKey
{
    Task UpdateAsync(DistributorSnapshot snapshot);

    [ReadOnly] Task<ImmutableArray<DistributorSnapshot>> GetSnapshotsAsync();
}
