using Routing.Contracts.Events;

namespace Routing.Grains.Events;

/// <summary>Keeps the API hosts listening for live events. Not persisted: hosts renew their subscription every
/// <see cref="ILiveHostsGrain.RenewEvery"/>, so after a restart the list refills itself, and a host that is gone
/// stops renewing and is forgotten.</summary>
public sealed class LiveHostsGrain(TimeProvider clock) : Grain, ILiveHostsGrain
{
    private readonly Dictionary<string, (ILiveEventObserver Observer, long SeenAt)> _hosts = new(StringComparer.Ordinal);

    public Task SubscribeAsync(string hostId, ILiveEventObserver observer)
    {
        _hosts[hostId] = (observer, clock.GetTimestamp());
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(string hostId)
    {
        _hosts.Remove(hostId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ILiveEventObserver>> GetObserversAsync()
    {
        foreach (var (id, host) in _hosts.ToList())
            if (clock.GetElapsedTime(host.SeenAt) > ILiveHostsGrain.ForgetAfter) _hosts.Remove(id);
        return Task.FromResult<IReadOnlyList<ILiveEventObserver>>(_hosts.Values.Select(h => h.Observer).ToList());
    }
}
