using Microsoft.Extensions.Logging;
using Routing.Contracts.Campaigns;

namespace Routing.Grains.Campaigns;

/// <summary>A silo's share of a campaign's cap: the owner of this silo's <see cref="QuotaPool"/> for the campaign. One
/// activation per silo ([StatelessWorker(1)]). Orders take units from the pool directly and come here only when it
/// cannot answer: then it leases more units from the <see cref="ICampaignGrain"/>. It reports what its orders made
/// durable every <see cref="ReportInterval"/> and hands idle units back so other silos can sell them. Not reentrant, so
/// leases and reports are one at a time.</summary>
/// <remarks>If the silo crashes, the units held here are not lost: each lease names this holder and its silo, and the
/// campaign takes a dead silo's holders' units back (what their orders made durable is in the order journal).</remarks>
[StatelessWorker(1)]
public sealed class CampaignQuotaGrain(QuotaPools pools, ILocalSiloDetails silo, ILogger<CampaignQuotaGrain> logger) : Grain, ICampaignQuotaGrain
{
    public static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan IdleReturnAfter = TimeSpan.FromSeconds(1);
    /// <summary>While orders take units, the holder stays active this long past the last report (orders reach the
    /// pool without messages, so message-driven idleness would not see them).</summary>
    private static readonly TimeSpan KeepAliveWhileSelling = TimeSpan.FromMinutes(2);
    private const int LeaseChunk = 256;
    /// <summary>On deactivation, how long the holder waits for orders in flight to become durable or give units back.</summary>
    private static readonly TimeSpan DrainFor = TimeSpan.FromSeconds(10);

    private QuotaPool _pool = null!;
    /// <summary>Identifies this activation's reports; with <see cref="_reportSeq"/> it makes them idempotent.</summary>
    private readonly string _holderId = Guid.NewGuid().ToString("N");
    private long _reportSeq;
    /// <summary>The number of the last lease asked for, and whether its answer arrived (if not, the next ask repeats it).</summary>
    private long _leaseSeq;
    private bool _leaseAnswered = true;
    /// <summary>A report sent whose answer has not arrived: sent again, unchanged, before anything new.</summary>
    private Report? _unacknowledged;

    private sealed record Report(long Seq, int Consumed, int Unused, bool Closing);

    private string CampaignId => this.GetPrimaryKeyString();
    private ICampaignGrain Campaign => GrainFactory.GetGrain<ICampaignGrain>(CampaignId);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _pool = pools.Open(CampaignId);
        this.RegisterGrainTimer(OnTimerAsync, ReportInterval, ReportInterval);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _pool.Close();
        try
        {
            // Orders in flight finish first (durable or given back), so the last report leaves nothing unaccounted.
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (_pool.InFlight > 0 && waited.Elapsed < DrainFor) await Task.Delay(20, cancellationToken);
            // Twice: a report still waiting for its answer goes first, then what is left.
            await FlushAsync(returnPool: true);
            await FlushAsync(returnPool: true, closing: _pool.InFlight == 0);
        }
        catch (Exception e)
        {
            // The cluster may be shutting down; unreported units are an undersell, never an oversell.
            logger.LogInformation(e, "Campaign {CampaignId}: could not report on deactivation", CampaignId);
        }
        finally
        {
            pools.Remove(CampaignId, _pool);
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

    private async Task<bool> LeaseAsync(int needed)
    {
        // Sales first, so the campaign's count is current when it decides the grant.
        await FlushAsync(returnPool: false);
        if (_leaseAnswered) _leaseSeq++;
        _leaseAnswered = false;
        var lease = await Campaign.LeaseAsync(_holderId, silo.SiloAddress, _leaseSeq, needed, needed + LeaseChunk);
        _leaseAnswered = true;
        if (lease is null) return false;
        _pool.AddLease(lease);
        return true;
    }

    private async Task OnTimerAsync(CancellationToken _)
    {
        if (_pool.TookWithin(ReportInterval)) DelayDeactivation(KeepAliveWhileSelling);
        // A lease whose answer was lost is asked again (same number, so the same grant), even if no order needs it now.
        if (!_leaseAnswered) await LeaseAsync(0);
        await FlushAsync(returnPool: _pool.IdleWithUnits(IdleReturnAfter));
    }

    private async Task FlushAsync(bool returnPool, bool closing = false)
    {
        if (_unacknowledged is null)
        {
            var (consumed, unused) = _pool.TakeReport(returnPool);
            if (consumed == 0 && unused == 0 && !closing) return;
            _unacknowledged = new Report(++_reportSeq, consumed, unused, closing);
        }
        var report = _unacknowledged;
        await Campaign.ReportAsync(_holderId, report.Seq, report.Consumed, report.Unused, report.Closing);
        _unacknowledged = null;
        _pool.Reported(report.Consumed);
    }
}
