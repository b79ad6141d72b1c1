using Microsoft.Extensions.Logging;
using Routing.Contracts.Events;

namespace Routing.Grains.Events;

/// <summary>The batching notifier of a silo: one activation per silo ([StatelessWorker(1)]) that takes what grains
/// published into the silo's <see cref="LocalEventStream"/> every <see cref="FlushInterval"/> and forwards it to the API
/// hosts, which also caps coalesced events (progress, stock levels) at about ten a second per campaign or per
/// distributor and SKU.</summary>
[StatelessWorker(1)]
public sealed class EventNotifierGrain(LocalEventStream stream, TimeProvider clock, ILogger<EventNotifierGrain> logger) : Grain, IEventNotifierGrain
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);
    /// <summary>A host that subscribed a moment ago must get the next batch (it was lost for up to this long with a
    /// 2 s cache); one call per flush per silo, and only when there is something to send, is cheap.</summary>
    private static readonly TimeSpan ObserverListTtl = TimeSpan.Zero;
    private IReadOnlyList<ILiveEventObserver> _observers = [];
    private long _observersLoadedAt;
    private bool _observersLoaded;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Events reach it without messages, so its own timer keeps it alive (an idle flush finds nothing and is cheap).
        this.RegisterGrainTimer(_ => FlushAsync(), new GrainTimerCreationOptions(FlushInterval, FlushInterval) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await FlushAsync();
        stream.NotifierStopped();
    }

    public Task WakeAsync() => Task.CompletedTask;

    private async Task FlushAsync()
    {
        var batch = stream.Drain();
        if (batch.Count == 0) return;
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
