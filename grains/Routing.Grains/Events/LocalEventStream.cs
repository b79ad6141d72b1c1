using System.Collections.Immutable;
using Routing.Contracts.Events;

namespace Routing.Grains.Events;

/// <summary>The silo's event publisher. Hands every event to this silo's batching <see cref="EventNotifierGrain"/>
/// (a local one-way call), which forwards batches to the API hosts, and to in-process subscribers (diagnostics, tests).</summary>
public sealed class LocalEventStream(IGrainFactory grains) : IRoutingEventPublisher
{
    private ImmutableArray<Action<RoutingEvent>> _subscribers = [];

    public void Publish(RoutingEvent routingEvent)
    {
        grains.GetGrain<IEventNotifierGrain>(0).PublishAsync(routingEvent).Ignore();
        foreach (var subscriber in _subscribers)
        {
            try { subscriber(routingEvent); }
            catch { /* a faulty subscriber must never fail the grain that raised the event */ }
        }
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
