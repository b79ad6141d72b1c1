using Microsoft.Extensions.Logging;
using Routing.Contracts.Events;

namespace Routing.Grains.Events;

/// <summary>The batching notifier of a silo: one activation per silo ([StatelessWorker(1)]), so publishing is a
/// local one-way call. Flushes every <see cref="FlushInterval"/>, which also caps coalesced events (progress,
/// stock levels) at about ten a second per campaign or per distributor and SKU.</summary>
[StatelessWorker(1)]
public sealed class EventNotifierGrain(TimeProvider clock, ILogger<EventNotifierGrain> logger) : Grain, IEventNotifierGrain
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);
    /// <summary>A host that subscribed a moment ago must get the next batch (it was lost for up to this long with a
    /// 2 s cache); one call per flush per silo, and only when there is something to send, is cheap.</summary>
    private static readonly TimeSpan ObserverListTtl = TimeSpan.Zero;
    /// <summary>Under a burst, the oldest events beyond this are dropped rather than letting memory grow: live views
    /// resync from REST snapshots, so losing some news is safe; losing the process is not.</summary>
    private const int MaxPending = 50_000;

    private readonly EventCoalescer _pending = new();
    private IReadOnlyList<ILiveEventObserver> _observers = [];
    private long _observersLoadedAt;
    private bool _observersLoaded;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(_ => FlushAsync(), FlushInterval, FlushInterval);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushAsync();

    public Task PublishAsync(RoutingEvent routingEvent)
    {
        if (_pending.Count < MaxPending) _pending.Add(routingEvent);
        return Task.CompletedTask;
    }

    private async Task FlushAsync()
    {
        if (_pending.Count == 0) return;
        var batch = _pending.Drain();
        foreach (var observer in await ObserversAsync())
        {
            try { await observer.OnEventsAsync(batch); }
            catch (Exception e) { logger.LogDebug(e, "A live host did not take a batch; it will be forgotten if it is gone"); }
        }
    }

    private async Task<IReadOnlyList<ILiveEventObserver>> ObserversAsync()
    {
        if (!_observersLoaded || clock.GetElapsedTime(_observersLoadedAt) >= ObserverListTtl)
        {
            _observers = await GrainFactory.GetGrain<ILiveHostsGrain>(0).GetObserversAsync();
            _observersLoadedAt = clock.GetTimestamp();
            _observersLoaded = true;
        }
        return _observers;
    }
}
