using Microsoft.Extensions.Logging;
using Routing.Contracts.Campaigns;
using Routing.Domain;

namespace Routing.Grains.Campaigns;

/// <summary>A silo's share of a campaign's cap: the holder of this silo's <see cref="QuotaPool"/> for the campaign. One
/// activation per silo ([StatelessWorker(1)], kept while its pool is in use rather than removed as an idle worker:
/// orders reach the pool without messages). Orders take units from the pool directly and come here only when it cannot
/// answer: then it leases more units from the <see cref="ICampaignGrain"/>. It reports what its orders made durable
/// every <see cref="ReportInterval"/> and hands idle units back so other silos can sell them. Not reentrant, and every
/// lease and report goes through the pool's account one at a time.</summary>
/// <remarks>The campaign knows the pool's account, not this activation: an activation that deactivates with orders in
/// flight leaves the pool (unsettled) to the next one on this silo, which an order settling there wakes
/// (<see cref="SettleAsync"/>). If the silo crashes, the units held are not lost either: each lease names the account and
/// its silo, and the campaign takes a dead silo's accounts back (what their orders made durable is in the order journal).</remarks>
[StatelessWorker(1, removeIdleWorkers: false)]
public sealed partial class CampaignQuotaGrain(QuotaPools pools, ILocalSiloDetails silo, ILogger<CampaignQuotaGrain> logger) : Grain, ICampaignQuotaGrain
{
    public static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan IdleReturnAfter = TimeSpan.FromSeconds(1);
    /// <summary>While orders take units or are in flight, the holder stays active this long past the last report (orders
    /// reach the pool without messages, so message-driven idleness would not see them).</summary>
    private static readonly TimeSpan KeepAliveWhileSelling = TimeSpan.FromMinutes(2);
    private const int LeaseChunk = 256;

    private QuotaPool _pool = null!;

    private string CampaignId => this.GetPrimaryKeyString();
    private ICampaignGrain Campaign => GrainFactory.GetGrain<ICampaignGrain>(CampaignId);
    private QuotaAccount Account => _pool.Account;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _pool = pools.Attach(CampaignId);
        this.RegisterGrainTimer(OnTimerAsync, ReportInterval, ReportInterval);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _pool.Detach();
        try
        {
            // Twice: a report still waiting for its answer goes first, then what is left. The account closes only when
            // nothing is left: otherwise the pool stays for the orders in flight, and the next activation reports them.
            await FlushAsync(returnPool: true);
            var settled = _pool.Settled && !_pool.Attended;
            await FlushAsync(returnPool: true, closing: settled);
            if (!settled || !pools.RemoveIfSettled(CampaignId, _pool))
                LogDeactivatesInFlight(logger, CampaignId, Account.HolderId, reason.ReasonCode, _pool.InFlight);
        }
        catch (Exception e)
        {
            // The cluster may be shutting down; unreported units are an undersell, never an oversell.
            LogReportOnDeactivationFailed(logger, e, CampaignId);
        }
    }

    public async Task<QuotaTicket> TakeAsync(int quantity, string customerRegion)
    {
        if (_pool.TryTake(quantity, customerRegion) is { } answer) return answer;
        if (!_pool.HasDefinition && !await LeaseAsync(0)) return _pool.Refusal(QuotaOutcome.CampaignNotFound, CampaignStatus.Open);
        if (_pool.TryTake(quantity, customerRegion) is { } afterFirstLease) return afterFirstLease;
        await LeaseAsync(quantity);
        return _pool.TryTake(quantity, customerRegion) ?? _pool.Refusal(QuotaOutcome.SoldOut, CampaignStatus.SoldOut);
    }

    public Task SettleAsync() => FlushAsync(returnPool: false);

    private async Task<bool> LeaseAsync(int needed)
    {
        await Account.Turn.WaitAsync();
        try
        {
            // Sales first, so the campaign's count is current when it decides the grant.
            await FlushInTurnAsync(returnPool: false, closing: false);
            if (Account.LeaseAnswered) Account.LeaseSeq++;
            Account.LeaseAnswered = false;
            var lease = await Campaign.LeaseAsync(Account.HolderId, silo.SiloAddress, Account.LeaseSeq, needed, needed + LeaseChunk);
            Account.LeaseAnswered = true;
            if (lease is null) return false;
            _pool.AddLease(lease);
            return true;
        }
        finally
        {
            Account.Turn.Release();
        }
    }

    private async Task OnTimerAsync(CancellationToken _)
    {
        if (_pool.TookWithin(ReportInterval) || _pool.InFlight > 0) DelayDeactivation(KeepAliveWhileSelling);
        // A lease whose answer was lost is asked again (same number, so the same grant), even if no order needs it now.
        if (!Account.LeaseAnswered) await LeaseAsync(0);
        await FlushAsync(returnPool: _pool.IdleWithUnits(IdleReturnAfter));
    }

    private async Task FlushAsync(bool returnPool, bool closing = false)
    {
        await Account.Turn.WaitAsync();
        try
        {
            await FlushInTurnAsync(returnPool, closing);
        }
        finally
        {
            Account.Turn.Release();
        }
    }

    private async Task FlushInTurnAsync(bool returnPool, bool closing)
    {
        if (Account.Unacknowledged is null)
        {
            var (consumed, unused) = _pool.TakeReport(returnPool);
            if (consumed == 0 && unused == 0 && !closing) return;
            Account.Unacknowledged = new QuotaReport(++Account.ReportSeq, consumed, unused, closing);
        }
        var report = Account.Unacknowledged;
        await Campaign.ReportAsync(Account.HolderId, report.Seq, report.Consumed, report.Unused, report.Closing);
        Account.Unacknowledged = null;
        _pool.Reported(report.Consumed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId}: holder {HolderId} deactivates ({Reason}) with {InFlight} units in flight; its pool stays for the next activation")]
    private static partial void LogDeactivatesInFlight(ILogger logger, string campaignId, string holderId, DeactivationReasonCode reason, int inFlight);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId}: could not report on deactivation")]
    private static partial void LogReportOnDeactivationFailed(ILogger logger, Exception exception, string campaignId);
}
