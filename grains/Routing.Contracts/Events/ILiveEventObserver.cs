namespace Routing.Contracts.Events;

/// <summary>An API host listening for live events; it pushes them to its SignalR clients.</summary>
public interface ILiveEventObserver : IGrainObserver
{
    [OneWay] Task OnEventsAsync(IReadOnlyList<RoutingEvent> batch);
}

/// <summary>The API hosts listening for live events (key 0). Hosts renew their subscription every
/// <see cref="RenewEvery"/>; a host that stops renewing (it left the cluster, or crashed) is forgotten after <see cref="ForgetAfter"/>.</summary>
public interface ILiveHostsGrain : IGrainWithIntegerKey
{
    static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(20);
    static readonly TimeSpan ForgetAfter = TimeSpan.FromSeconds(65);

    Task SubscribeAsync(string hostId, ILiveEventObserver observer);

    Task UnsubscribeAsync(string hostId);

    [ReadOnly] Task<IReadOnlyList<ILiveEventObserver>> GetObserversAsync();
}

/// <summary>A silo's batching notifier (one per silo): it takes the events grains published into the silo's buffer and
/// forwards them to every listening API host a few times a second.</summary>
public interface IEventNotifierGrain : IGrainWithIntegerKey
{
    /// <summary>Makes sure the notifier is active: sent once when events start arriving after a quiet spell, not per event.</summary>
    [OneWay] Task WakeAsync();
}
