using Routing.Contracts.Events;

namespace Routing.Grains.Events;

/// <summary>Where grains publish domain events for live views. Publishing never blocks and never fails the caller.</summary>
public interface IRoutingEventPublisher
{
    void Publish(RoutingEvent routingEvent);
}
