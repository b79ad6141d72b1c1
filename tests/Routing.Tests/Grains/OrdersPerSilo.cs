using Microsoft.Extensions.DependencyInjection;
using Routing.Contracts.Events;
using Routing.Grains.Events;

namespace Routing.Tests.Grains;

/// <summary>Counts the orders each silo placed while it is alive: an order grain announces its outcome on the
/// event stream of the silo it runs on. Shows that a campaign's orders really ran on every silo.</summary>
internal sealed class OrdersPerSilo : IDisposable
{
    private readonly int[] _counts;
    private readonly List<IDisposable> _subscriptions = [];

    public OrdersPerSilo(ClusterFixture cluster, string campaignId)
    {
        var silos = cluster.Cluster.Silos;
        _counts = new int[silos.Count];
        for (var i = 0; i < silos.Count; i++)
        {
            var silo = i;
            _subscriptions.Add(silos[i].ServiceProvider.GetRequiredService<LocalEventStream>().Subscribe(e =>
            {
                var announced = e switch { OrderAllocated a => a.CampaignId, OrderRejected r => r.CampaignId, _ => null };
                if (announced == campaignId) Interlocked.Increment(ref _counts[silo]);
            }));
        }
    }

    public IReadOnlyList<int> Counts => [.. Enumerable.Range(0, _counts.Length).Select(i => Volatile.Read(ref _counts[i]))];

    public void Dispose() => _subscriptions.ForEach(s => s.Dispose());
}
