using System.Collections.Immutable;
using Routing.Contracts.Events;

namespace Routing.Grains.Events;

/// <summary>Publishes domain events to subscribers in this silo's process. The live-console pipeline
/// (batching notifier → one observer per API host → SignalR) subscribes here.</summary>
public sealed class LocalEventStream : IRoutingEventPublisher
{
    private ImmutableArray<Action<RoutingEvent>> _subscribers = [];

    public void Publish(RoutingEvent routingEvent)
    {
        foreach (var subscriber in _subscribers)
        {
            try { subscriber(routingEvent); }
            catch { /* a faulty live view must never fail the grain that raised the event */ }
        }
    }

    /// <summary>Subscribes a handler; it must be quick and must not block. Dispose to unsubscribe.</summary>
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
