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
        // Hosts that stopped renewing are forgotten here, where the list changes anyway (reads only skip them).
        foreach (var (id, host) in _hosts.ToList())
            if (Stale(host.SeenAt)) _hosts.Remove(id);
        _hosts[hostId] = (observer, clock.GetTimestamp());
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(string hostId)
    {
        _hosts.Remove(hostId);
        return Task.CompletedTask;
    }

    /// <summary>[ReadOnly]: changes nothing, so reads from every silo's notifier may interleave.</summary>
    public Task<IReadOnlyList<ILiveEventObserver>> GetObserversAsync() =>
        Task.FromResult<IReadOnlyList<ILiveEventObserver>>(_hosts.Values.Where(h => !Stale(h.SeenAt)).Select(h => h.Observer).ToList());

    private bool Stale(long seenAt) => clock.GetElapsedTime(seenAt) > ILiveHostsGrain.ForgetAfter;
}
