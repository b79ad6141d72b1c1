using System.Collections.Immutable;
using Routing.Contracts.Catalog;
using Routing.Contracts.Distributors;
using Routing.Contracts.Orders;
using Routing.Contracts.Policies;
using Routing.Domain;

namespace Routing.Grains.Infrastructure;

/// <summary>A silo-local, briefly cached view of what routing reads on every order: distributor snapshots,
/// policies, products and the review rules. Keeps the order path from calling shared grains per order; staleness is safe because
/// the reservation at the distributor grain is the authority. When cached data cannot serve an order (no
/// distributor can fill it, an unknown policy or product), the order asks for data loaded after it started:
/// one reload then serves every order waiting on it, so the shared grains see a bounded rate, never one call per order.</summary>
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

    private readonly Cached<ReviewSettings> _reviewRules = new(
        () => grains.GetGrain<IReviewRulesGrain>(0).GetAsync(), ReferenceDataTtl, clock);

    /// <summary>A timestamp to pass as <c>loadedAfter</c> to ask for data no older than now.</summary>
    public long Now() => clock.GetTimestamp();

    /// <summary>Milliseconds since a <see cref="Now"/> timestamp.</summary>
    public double ElapsedMs(long since) => clock.GetElapsedTime(since).TotalMilliseconds;

    public Task<ImmutableArray<DistributorSnapshot>> GetSnapshotsAsync(long? loadedAfter = null) => _snapshots.GetAsync(loadedAfter);

    /// <summary>The policy with this id, or null if there is none.</summary>
    public async Task<RoutingPolicy?> GetPolicyAsync(string id, long? loadedAfter = null) =>
        (await _policies.GetAsync(loadedAfter)).FirstOrDefault(p => p.Id == id);

    public Task<IReadOnlyDictionary<string, Product>> GetProductsAsync(long? loadedAfter = null) => _products.GetAsync(loadedAfter);

    /// <summary>The review rules placements are checked against (a change applies within <see cref="ReferenceDataTtl"/>).</summary>
    public Task<ReviewSettings> GetReviewRulesAsync() => _reviewRules.GetAsync(null);

    /// <summary>A value refreshed by one caller at a time: when older than its time to live, or when a caller needs
    /// a value loaded after a given moment.</summary>
    private sealed class Cached<T>(Func<Task<T>> load, TimeSpan ttl, TimeProvider clock)
    {
        private readonly Lock _lock = new();
        private Task<T>? _value;
        private long _loadedAt;

        public Task<T> GetAsync(long? loadedAfter)
        {
            lock (_lock)
            {
                var usable = _value is not null && !_value.IsFaulted
                    && clock.GetElapsedTime(_loadedAt) < ttl
                    && (loadedAfter is null || _loadedAt >= loadedAfter);
                if (!usable)
                {
                    _loadedAt = clock.GetTimestamp();
                    _value = load();
                }
                return _value!;
            }
        }
    }
}
