using Microsoft.Extensions.Logging;
using Routing.Contracts.Events;

namespace Routing.Grains.Events;

/// <summary>The batching notifier of a silo: one activation per silo ([StatelessWorker(1)]) that takes what grains
/// published into the silo's <see cref="LocalEventStream"/> every <see cref="FlushInterval"/> and forwards it to the API
/// hosts, which also caps coalesced events (progress, stock levels) at about ten a second per campaign or per
/// distributor and SKU.</summary>
[StatelessWorker(1)]
public sealed partial class EventNotifierGrain(LocalEventStream stream, ILogger<EventNotifierGrain> logger) : Grain, IEventNotifierGrain
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

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
        // The hosts are asked afresh for every batch (one read per flush per silo, only when there is something to send):
        // a host that subscribed a moment ago gets the next batch.
        foreach (var observer in await GrainFactory.GetGrain<ILiveHostsGrain>(0).GetObserversAsync())
        {
            try { await observer.OnEventsAsync(batch); }
            catch (Exception e) { LogHostMissedBatch(logger, e); }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A live host did not take a batch; it will be forgotten if it is gone")]
    private static partial void LogHostMissedBatch(ILogger logger, Exception exception);
}
