using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Routing.Contracts.Events;
using Routing.Domain;
using Routing.Grains.Events;

namespace Routing.Tests.Grains;

/// <summary>The live pipeline across silos: an event raised on any silo reaches every listening API host.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LiveFanOutTests(ClusterFixture fixture)
{
    [Fact]
    public async Task An_event_raised_on_either_silo_reaches_a_listening_host()
    {
        var host = new RecordingHost();
        var reference = fixture.Client.CreateObjectReference<ILiveEventObserver>(host);
        var hostId = $"test-host-{Guid.NewGuid():N}";
        await fixture.Client.GetGrain<ILiveHostsGrain>(0).SubscribeAsync(hostId, reference);
        try
        {
            // Each silo publishes through its own publisher, as its grains do. Notifiers refresh their list of hosts
            // every couple of seconds, so a host that has just subscribed hears the events published after that:
            // keep publishing, as a live system does, until the host has heard from every silo.
            var campaigns = Enumerable.Range(0, fixture.Cluster.Silos.Count).Select(i => $"fan-out-{Guid.NewGuid():N}-silo{i}").ToList();
            await Eventually.UntilAsync(() =>
                {
                    for (var i = 0; i < campaigns.Count; i++)
                        fixture.Cluster.Silos[i].ServiceProvider.GetRequiredService<IRoutingEventPublisher>()
                            .Publish(new CampaignProgress(DateTimeOffset.UtcNow, campaigns[i], 1, 10, CampaignStatus.Open, 1m, 0, null));
                    return Task.FromResult(host.CampaignIds);
                },
                ids => campaigns.All(ids.Contains), "the host to hear from every silo");
        }
        finally
        {
            await fixture.Client.GetGrain<ILiveHostsGrain>(0).UnsubscribeAsync(hostId);
            fixture.Client.DeleteObjectReference<ILiveEventObserver>(reference);
        }
    }

    [Fact]
    public void Progress_and_stock_levels_are_coalesced_latest_first_other_events_are_kept_in_order()
    {
        var coalescer = new EventCoalescer();
        var at = DateTimeOffset.UtcNow;
        for (var sold = 1; sold <= 100; sold++)
            coalescer.Add(new CampaignProgress(at, "gb-1", sold, 1000, CampaignStatus.Open, 1m, 0, null));
        coalescer.Add(new InventoryChanged(at, "d-1", "S", 10, 1, 5));
        coalescer.Add(new OrderRejected(at, "o-1", "gb-1", OrderStatus.Rejected, "no stock"));
        coalescer.Add(new InventoryChanged(at, "d-1", "S", 10, 2, 5));
        coalescer.Add(new OrderRejected(at, "o-2", "gb-1", OrderStatus.Rejected, "no stock"));

        var batch = coalescer.Drain();

        Assert.Equal(100, Assert.Single(batch.OfType<CampaignProgress>()).Sold);
        Assert.Equal(2, Assert.Single(batch.OfType<InventoryChanged>()).Reserved);
        Assert.Equal(["o-1", "o-2"], batch.OfType<OrderRejected>().Select(r => r.OrderId));
        Assert.Empty(coalescer.Drain());
    }

    private sealed class RecordingHost : ILiveEventObserver
    {
        private readonly ConcurrentDictionary<string, bool> _campaignIds = new();

        public IReadOnlyCollection<string> CampaignIds => _campaignIds.Keys.ToList();

        public Task OnEventsAsync(IReadOnlyList<RoutingEvent> batch)
        {
            foreach (var e in batch.OfType<CampaignProgress>()) _campaignIds[e.CampaignId] = true;
            return Task.CompletedTask;
        }
    }
}
