using Microsoft.Extensions.Time.Testing;
using Routing.Contracts.Events;
using Routing.Grains.Events;

namespace Routing.Tests.Grains;

/// <summary>The list of API hosts listening for live events forgets a host that stops renewing, and keeps one that
/// renews: on a fake clock, so a minute of renewals takes no time.</summary>
public sealed class LiveHostsTests
{
    private sealed class Host : ILiveEventObserver
    {
        public Task OnEventsAsync(IReadOnlyList<RoutingEvent> batch) => Task.CompletedTask;
    }

    [Fact]
    public async Task A_host_that_stops_renewing_is_forgotten_and_one_that_renews_is_kept()
    {
        var clock = new FakeTimeProvider();
        var hosts = new LiveHostsGrain(clock);
        var (renewing, gone) = (new Host(), new Host());
        await hosts.SubscribeAsync("renewing", renewing);
        await hosts.SubscribeAsync("gone", gone);

        // Until its last renewal is older than ForgetAfter, a silent host still hears events.
        var silentFor = TimeSpan.Zero;
        while (silentFor + ILiveHostsGrain.RenewEvery < ILiveHostsGrain.ForgetAfter)
        {
            clock.Advance(ILiveHostsGrain.RenewEvery);
            silentFor += ILiveHostsGrain.RenewEvery;
            await hosts.SubscribeAsync("renewing", renewing);
            Assert.Equal([renewing, gone], (await hosts.GetObserversAsync()).OrderBy(o => o == gone));
        }
        clock.Advance(ILiveHostsGrain.ForgetAfter - silentFor);
        Assert.Equal(2, (await hosts.GetObserversAsync()).Count);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Same(renewing, Assert.Single(await hosts.GetObserversAsync()));

        // A host that comes back subscribes afresh and is heard again.
        await hosts.SubscribeAsync("gone", gone);
        Assert.Equal(2, (await hosts.GetObserversAsync()).Count);
    }
}
