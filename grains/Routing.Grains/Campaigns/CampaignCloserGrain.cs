using Microsoft.Extensions.Logging;
using Routing.Contracts.Alerts;
using Routing.Contracts.Campaigns;
using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Domain.Rules;
using Routing.Grains.History;

namespace Routing.Grains.Campaigns;

/// <summary>Cancels the open orders of a campaign that did not form, and tells ops and each affected distributor.
/// Idempotent: cancelling is, and alerts are deduplicated by key while open (repeats only count).</summary>
public sealed partial class CampaignCloserGrain(IRoutingHistory history, ILogger<CampaignCloserGrain> logger) : Grain, ICampaignCloserGrain
{
    private const int Parallelism = 16;

    public async Task SweepAsync(string reason)
    {
        var campaignId = this.GetPrimaryKeyString();
        var cancelled = 0;
        var distributors = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var ids = await history.CampaignOrderIdsAsync(campaignId);
            foreach (var chunk in ids.Chunk(Parallelism))
            {
                var results = await Task.WhenAll(chunk.Select(id => CancelIfOpenAsync(id, reason)));
                foreach (var order in results.OfType<OrderView>())
                {
                    cancelled++;
                    distributors.UnionWith(order.Allocations.Select(a => a.DistributorId));
                }
            }
            if (cancelled > 0) await RaiseAlertsAsync(campaignId, reason, cancelled, distributors);
            LogSwept(logger, campaignId, cancelled, reason);
            await GrainFactory.GetGrain<ICampaignGrain>(campaignId).SweepFinishedAsync(cancelled);
        }
        catch (Exception e)
        {
            // The campaign's reminder sweeps again on its next tick.
            LogSweepFailed(logger, e, campaignId, cancelled);
        }
    }

    /// <summary>The order as it was before cancelling, if this call cancelled it; null if there was nothing to cancel.</summary>
    private async Task<OrderView?> CancelIfOpenAsync(string orderId, string reason)
    {
        var grain = GrainFactory.GetGrain<IOrderGrain>(orderId);
        if (await grain.GetAsync() is not { } order) return null;
        if (OrderRules.IsSettled(order.Status)) return null;
        var result = await grain.CancelAsync(reason, byOps: true, CancelReasons.CampaignNotFormed);
        return result.Outcome == TransitionOutcome.Done ? order : null;
    }

    private async Task RaiseAlertsAsync(string campaignId, string reason, int cancelled, IEnumerable<string> distributors)
    {
        var alerts = GrainFactory.GetGrain<IAlertLogGrain>(0);
        await alerts.RaiseAsync(new AlertDraft(AlertKind.CampaignNotFormed, AlertKeys.CampaignNotFormed(campaignId),
            $"{reason}; {cancelled} order(s) cancelled and their reservations released", CampaignId: campaignId));
        foreach (var distributorId in distributors)
            await alerts.RaiseAsync(new AlertDraft(AlertKind.CampaignNotFormed, AlertKeys.CampaignNotFormed(campaignId, distributorId),
                $"{reason}; its orders at {distributorId} were cancelled and their reservations released",
                DistributorId: distributorId, CampaignId: campaignId));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId}: cancelled {Cancelled} orders ({Reason})")]
    private static partial void LogSwept(ILogger logger, string campaignId, int cancelled, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Campaign {CampaignId}: sweeping its orders failed after {Cancelled} cancellations")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, string campaignId, int cancelled);
}
