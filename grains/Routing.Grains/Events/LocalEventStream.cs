using System.Collections.Immutable;
using Routing.Contracts.Events;

namespace Routing.Grains.Events;

/// <summary>The silo's event publisher. Publishing is a method call on this process-wide buffer, never a message: events
/// wait here, coalesced (<see cref="EventCoalescer"/>), until this silo's <see cref="EventNotifierGrain"/> takes them on
/// its timer and forwards them to the API hosts. The notifier is woken with one message when events start arriving
/// after a quiet spell. In-process subscribers (diagnostics, tests) see every event at once.</summary>
public sealed class LocalEventStream(IGrainFactory grains) : IRoutingEventPublisher
{
    /// <summary>Under a burst, events beyond this are dropped rather than letting memory grow: live views resync from
    /// REST snapshots, so losing some news is safe; losing the process is not.</summary>
    public const int MaxPending = 50_000;

    private readonly Lock _gate = new();
    private readonly EventCoalescer _pending = new();
    /// <summary>The notifier was woken and has not yet found the buffer empty.</summary>
    private bool _notifierAwake;
    private ImmutableArray<Action<RoutingEvent>> _subscribers = [];

    public void Publish(RoutingEvent routingEvent)
    {
        bool wake;
        lock (_gate)
        {
            if (_pending.Count < MaxPending) _pending.Add(routingEvent);
            wake = !_notifierAwake;
            _notifierAwake = true;
        }
        if (wake) grains.GetGrain<IEventNotifierGrain>(0).WakeAsync().Ignore();
        foreach (var subscriber in _subscribers)
        {
            try { subscriber(routingEvent); }
            catch { /* a faulty subscriber must never fail the grain that raised the event */ }
        }
    }

    /// <summary>Takes every event published since the last call, oldest first. An empty answer means the notifier may
    /// go quiet: the next event wakes it again.</summary>
    public IReadOnlyList<RoutingEvent> Drain()
    {
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                _notifierAwake = false;
                return [];
            }
            return _pending.Drain();
        }
    }

    /// <summary>The notifier is going away (silo shutting down, or its activation lost): the next event wakes a new one,
    /// and so does anything still waiting here now.</summary>
    public void NotifierStopped()
    {
        bool wake;
        lock (_gate) wake = _notifierAwake = _pending.Count > 0;
        if (wake) grains.GetGrain<IEventNotifierGrain>(0).WakeAsync().Ignore();
    }

    /// <summary>Subscribes a handler in this process; it must be quick and must not block. Dispose to unsubscribe.</summary>
    public IDisposable Subscribe(Action<RoutingEvent> handler)
    {
        ImmutableInterlocked.Update(ref _subscribers, s => s.Add(handler));
        return new Subscription(() => ImmutableInterlocked.Update(ref _subscribers, s => s.Remove(handler)));
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
