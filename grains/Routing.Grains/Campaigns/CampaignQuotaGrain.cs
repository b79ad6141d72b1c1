using Microsoft.Extensions.Logging;
using Routing.Contracts.Campaigns;

namespace Routing.Grains.Campaigns;

/// <summary>A silo's share of a campaign's cap. One activation per silo ([StatelessWorker(1)]) so orders take
/// units locally with no I/O; not reentrant, so the pool is only touched by one turn at a time. Leases more
/// units from the <see cref="ICampaignGrain"/> when it runs dry, reports sales every <see cref="ReportInterval"/>,
/// and hands idle units back so other silos can sell them.</summary>
/// <remarks>Units held here are lost if the silo crashes: the campaign then undersells by at most one lease,
/// never oversells.</remarks>
[StatelessWorker(1)]
public sealed class CampaignQuotaGrain(TimeProvider clock, ILogger<CampaignQuotaGrain> logger) : Grain, ICampaignQuotaGrain
{
    public static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan IdleReturnAfter = TimeSpan.FromSeconds(1);
    private const int LeaseChunk = 256;

    private CampaignDefinition? _definition;
    private int _pool;
    private int _soldSinceReport;
    private int _soldAtLastLease;
    private long _lastTake;
    /// <summary>Identifies this activation's reports; with <see cref="_reportSeq"/> it makes them idempotent.</summary>
    private readonly string _holderId = Guid.NewGuid().ToString("N");
    private long _reportSeq;
    /// <summary>A report sent whose answer has not arrived: sent again, unchanged, before anything new.</summary>
    private Report? _unacknowledged;

    private sealed record Report(long Seq, int Sold, int Unused);

    private ICampaignGrain Campaign => GrainFactory.GetGrain<ICampaignGrain>(this.GetPrimaryKeyString());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(OnTimerAsync, ReportInterval, ReportInterval);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            // Twice: a report still waiting for its answer goes first, then what is left.
            await FlushAsync(returnPool: true);
            await FlushAsync(returnPool: true);
        }
        catch (Exception e)
        {
            // The cluster may be shutting down; unreported units are an undersell, never an oversell.
            logger.LogInformation(e, "Campaign {CampaignId}: could not report on deactivation", this.GetPrimaryKeyString());
        }
    }

    public async Task<QuotaTicket> TakeAsync(int quantity, string customerRegion)
    {
        if (_definition is null && !await LeaseAsync(0)) return Ticket(QuotaOutcome.CampaignNotFound);
        var definition = _definition!;
        var status = definition.StatusAt(clock.GetUtcNow(), 0);
        if (status is not CampaignStatus.Open) return Ticket(QuotaOutcome.NotOpen, status);
        if (!definition.CoversRegion(customerRegion)) return Ticket(QuotaOutcome.RegionNotEligible);

        if (_pool < quantity) await LeaseAsync(quantity - _pool);
        if (_pool < quantity) return Ticket(QuotaOutcome.SoldOut, CampaignStatus.SoldOut);

        _pool -= quantity;
        _soldSinceReport += quantity;
        _lastTake = clock.GetTimestamp();
        return Ticket(QuotaOutcome.Taken);
    }

    public Task ReturnAsync(int quantity)
    {
        _pool += quantity;
        _soldSinceReport -= quantity;
        return Task.CompletedTask;
    }

    private async Task<bool> LeaseAsync(int needed)
    {
        // Sales first, so the campaign's count is current when it decides the grant.
        await FlushAsync(returnPool: false);
        var lease = await Campaign.LeaseAsync(needed, needed + LeaseChunk);
        if (lease is null) return false;
        _pool += lease.Units;
        _definition = lease.Definition;
        _soldAtLastLease = lease.Sold;
        return true;
    }

    private Task OnTimerAsync(CancellationToken _) =>
        FlushAsync(returnPool: _pool > 0 && clock.GetElapsedTime(_lastTake) > IdleReturnAfter);

    private async Task FlushAsync(bool returnPool)
    {
        if (_unacknowledged is null)
        {
            var sold = _soldSinceReport;
            var unused = returnPool ? _pool : 0;
            if (sold == 0 && unused == 0) return;
            // Moved into the report now: units handed back leave the pool even if the answer is lost (an undersell).
            _unacknowledged = new Report(++_reportSeq, sold, unused);
            _soldSinceReport -= sold;
            _pool -= unused;
        }
        var report = _unacknowledged;
        await Campaign.ReportAsync(_holderId, report.Seq, report.Sold, report.Unused);
        _unacknowledged = null;
        _soldAtLastLease += report.Sold;
    }

    private QuotaTicket Ticket(QuotaOutcome outcome, CampaignStatus status = CampaignStatus.Open) =>
        new(outcome, _definition, _definition?.PriceAt(_soldAtLastLease + _soldSinceReport) ?? 0, status);
}
