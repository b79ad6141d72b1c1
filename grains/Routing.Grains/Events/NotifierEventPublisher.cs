using Routing.Contracts.Events;

namespace Routing.Grains.Events;

/// <summary>Publishes domain events to this silo's <see cref="EventNotifierGrain"/>, which batches them for the API hosts.</summary>
public sealed class NotifierEventPublisher(IGrainFactory grains) : IRoutingEventPublisher
{
    public void Publish(RoutingEvent routingEvent) =>
        grains.GetGrain<IEventNotifierGrain>(0).PublishAsync(routingEvent).Ignore();
}
