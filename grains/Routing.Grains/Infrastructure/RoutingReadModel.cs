using System.Collections.Immutable;
using Routing.Contracts.Catalog;
using Routing.Contracts.Distributors;
using Routing.Contracts.Policies;
using Routing.Domain;

namespace Routing.Grains.Infrastructure;

/// <summary>A silo-local, briefly cached view of what routing reads on every order: distributor snapshots,
/// policies and substitutes. Keeps the order path from calling shared grains per order; staleness is
/// safe because the reservation at the distributor grain is the authority.</summary>
public sealed class RoutingReadModel(IGrainFactory grains, TimeProvider clock)
{
    /// <summary>How old cached data may get before the next reader refreshes it.</summary>
    public static readonly TimeSpan SnapshotTtl = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan ReferenceDataTtl = TimeSpan.FromSeconds(1);

    private readonly Cached<ImmutableArray<DistributorSnapshot>> _snapshots = new(
        () => grains.GetGrain<IDistributorDirectoryGrain>(0).GetSnapshotsAsync(), SnapshotTtl, clock);

    private readonly Cached<IReadOnlyList<RoutingPolicy>> _policies = new(
        () => grains.GetGrain<IRoutingPoliciesGrain>(0).ListAsync(), ReferenceDataTtl, clock);

    private readonly Cached<IReadOnlyDictionary<string, Product>> _products = new(
        async () => (await grains.GetGrain<IProductCatalogGrain>(0).ListAsync()).ToDictionary(p => p.Sku, StringComparer.Ordinal),
        ReferenceDataTtl, clock);

    public Task<ImmutableArray<DistributorSnapshot>> GetSnapshotsAsync() => _snapshots.GetAsync();

    public async Task<RoutingPolicy> GetPolicyAsync(string id)
    {
        var policies = await _policies.GetAsync();
        return policies.FirstOrDefault(p => p.Id == id)
            ?? policies.FirstOrDefault(p => p.Id == RoutingPolicy.DefaultId)
            ?? RoutingPolicy.Default;
    }

    public Task<IReadOnlyDictionary<string, Product>> GetProductsAsync() => _products.GetAsync();

    /// <summary>Drops cached reference data, so the next read sees a change made on this silo at once.</summary>
    public void Invalidate()
    {
        _policies.Invalidate();
        _products.Invalidate();
        _snapshots.Invalidate();
    }

    /// <summary>A value refreshed by at most one caller at a time when it is older than its time to live.</summary>
    private sealed class Cached<T>(Func<Task<T>> load, TimeSpan ttl, TimeProvider clock)
    {
        private Task<T>? _value;
        private long _loadedAt;

        public Task<T> GetAsync()
        {
            var current = Volatile.Read(ref _value);
            if (current is not null && !current.IsFaulted && clock.GetElapsedTime(Volatile.Read(ref _loadedAt)) < ttl)
                return current;
            lock (this)
            {
                if (_value == current || _value is null || _value.IsFaulted)
                {
                    _loadedAt = clock.GetTimestamp();
                    _value = load();
                }
                return _value;
            }
        }

        public void Invalidate()
        {
            lock (this) _value = null;
        }
    }
}
