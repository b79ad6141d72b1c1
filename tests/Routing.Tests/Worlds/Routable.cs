using Routing.Grains.Infrastructure;

namespace Routing.Tests.Worlds;

/// <summary>Knowing, not waiting, that routing sees a world: order grains route with silo-local read models that load
/// the distributor directory again once their copy is older than <see cref="RoutingReadModel.SnapshotTtl"/>, so a
/// distributor or stock just set is routable once every silo's read model shows it.</summary>
public static class Routable
{
    /// <summary>Waits until every read model routes with these distributors holding these units of
    /// <paramref name="sku"/> (and with the policy, if given).</summary>
    public static async Task UntilRoutingWithAsync(this IEnumerable<RoutingReadModel> readModels, string sku,
        IReadOnlyDictionary<string, int> available, string? policyId = null)
    {
        foreach (var readModel in readModels)
        {
            await Eventually.UntilAsync(
                async () => await readModel.GetSnapshotsAsync(),
                snapshots => available.All(d => snapshots.Any(s => s.Id == d.Key && s.Available(sku) == d.Value)),
                $"every silo to route with {string.Join(", ", available.Select(d => $"{d.Key} holding {d.Value}"))}");
            if (policyId is not null)
                await Eventually.UntilAsync(() => readModel.GetPolicyAsync(policyId), p => p?.Id == policyId, $"every silo to route with policy {policyId}");
        }
    }
}
