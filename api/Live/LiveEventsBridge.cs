using Microsoft.AspNetCore.SignalR;
using Routing.Contracts.Events;

namespace Routing.Api.Live;

/// <summary>This API host's observer of live events: subscribes with the <see cref="ILiveHostsGrain"/>, renews the
/// subscription, and pushes each batch to the SignalR hubs. Every event name carries an array of payloads,
/// each serialized as its own type (so clients see all its fields).</summary>
public sealed partial class LiveEventsBridge(
    IGrainFactory grains,
    IHubContext<OpsHub> ops,
    IHubContext<DistributorHub> distributors,
    ILogger<LiveEventsBridge> logger) : BackgroundService, ILiveEventObserver
{
    private readonly string _hostId = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var self = grains.CreateObjectReference<ILiveEventObserver>(this);
        var hosts = grains.GetGrain<ILiveHostsGrain>(0);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try { await hosts.SubscribeAsync(_hostId, self); }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested) { LogSubscribeFailed(logger, e); }
                await Task.Delay(ILiveHostsGrain.RenewEvery, stoppingToken);
            }
        }
        catch (OperationCanceledException) { }
        finally
        {
            // stoppingToken is cancelled by now: the unsubscribe gets two seconds of its own.
            try { await hosts.UnsubscribeAsync(_hostId).WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None); } catch { /* shutting down */ }
            grains.DeleteObjectReference<ILiveEventObserver>(self);
        }
    }

    public Task OnEventsAsync(IReadOnlyList<RoutingEvent> batch)
    {
        // Not awaited: pushing to browsers must never hold up the silo's notifier.
        _ = PushAsync(batch);
        return Task.CompletedTask;
    }

    private async Task PushAsync(IReadOnlyList<RoutingEvent> batch)
    {
        try
        {
            foreach (var group in batch.GroupBy(e => e.Name))
                await ops.Clients.All.SendAsync(group.Key, group.Cast<object>().ToList());

            foreach (var perDistributor in ForDistributors(batch).GroupBy(x => x.DistributorId))
            {
                var target = distributors.Clients.Group(DistributorHub.GroupOf(perDistributor.Key));
                foreach (var group in perDistributor.GroupBy(x => x.Event.Name))
                    await target.SendAsync(group.Key, group.Select(x => (object)x.Event).ToList());
            }
        }
        catch (Exception e)
        {
            LogPushFailed(logger, e);
        }
    }

    /// <summary>Each distributor's share of a batch: its own stock and alerts, and its own part of each allocation, and changes of the orders it has a share of.</summary>
    private static IEnumerable<(string DistributorId, RoutingEvent Event)> ForDistributors(IReadOnlyList<RoutingEvent> batch)
    {
        foreach (var e in batch)
        {
            if (e is OrderAllocated allocated)
            {
                foreach (var part in allocated.Allocations.GroupBy(a => a.DistributorId))
                    yield return (part.Key, allocated with { Allocations = part.ToList() });
            }
            else if (e is OrderChanged changed)
            {
                foreach (var distributor in changed.Distributors) yield return (distributor, changed with { Distributors = [distributor] });
            }
            else if (e is TransferChanged transfer)
            {
                yield return (transfer.Transfer.FromDistributorId, transfer);
                yield return (transfer.Transfer.ToDistributorId, transfer);
            }
            else if (e.DistributorId is { } id)
            {
                yield return (id, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to live events; retrying")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push live events")]
    private static partial void LogPushFailed(ILogger logger, Exception exception);
}
