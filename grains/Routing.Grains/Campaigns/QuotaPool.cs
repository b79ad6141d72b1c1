using System.Collections.Concurrent;
using Routing.Contracts.Campaigns;
using Routing.Domain;

namespace Routing.Grains.Campaigns;

/// <summary>A silo's units of one campaign, and its account with the campaign. The activation of its
/// <see cref="CampaignQuotaGrain"/> attached to it leases units into it and reports what its orders made durable; the
/// silo's placements take units here with a method call under a lock, so a flash sale's orders send no message to the
/// per-silo holder while it has units. A unit taken is in flight until its order is durable (<see cref="Consumed"/>)
/// or gives it back (<see cref="Return"/>). When it cannot answer alone (no lease yet, too few units, no holder
/// attached) the order asks the holder grain, which leases more.</summary>
/// <remarks>The pool, not the grain activation, is what the campaign knows as the holder (<see cref="Account"/>): it
/// stays in the silo's <see cref="QuotaPools"/> until it is settled, so a holder that deactivates while orders are in
/// flight (their calls waiting out a dead silo) leaves them to the next activation here, which reports them under the
/// same account. Otherwise their units would stay in an account nobody reports for, never sold again.</remarks>
public sealed class QuotaPool(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private int _holders;
    private CampaignDefinition? _definition;
    private int _units;
    private int _inFlight;
    private int _consumedSinceReport;
    private int _soldAtLastLease;
    private long _lastTake;

    /// <summary>The holder's account with the campaign, shared by every activation attached to this pool.</summary>
    public QuotaAccount Account { get; } = new();

    /// <summary>Answers an order when this pool alone can: taken, not open, region not eligible. Null means the holder
    /// grain must answer (it leases first): nothing leased yet, fewer units here than asked, or no holder attached.</summary>
    public QuotaTicket? TryTake(int quantity, string customerRegion)
    {
        lock (_gate)
        {
            if (_holders == 0 || _definition is not { } definition) return null;
            var status = definition.StatusAt(clock.GetUtcNow(), 0);
            if (status is not CampaignStatus.Open) return Ticket(QuotaOutcome.NotOpen, status);
            if (!definition.CoversRegion(customerRegion)) return Ticket(QuotaOutcome.RegionNotEligible);
            if (_units < quantity) return null;
            _units -= quantity;
            _inFlight += quantity;
            _lastTake = clock.GetTimestamp();
            return Ticket(QuotaOutcome.Taken);
        }
    }

    /// <summary>Units taken for an order that will not hold them (refused, rejected, failed) come back here, attended or
    /// not: see <see cref="Attended"/>.</summary>
    public void Return(int quantity)
    {
        lock (_gate)
        {
            _inFlight -= quantity;
            _units += quantity;
        }
    }

    /// <summary>Units taken for an order whose journal record is now durable: the journal counts them from here on.</summary>
    public void Consumed(int quantity)
    {
        lock (_gate)
        {
            _inFlight -= quantity;
            _consumedSinceReport += quantity;
        }
    }

    /// <summary>The holder's answer when it has no lease and the campaign does not exist, or no more units to lease.</summary>
    public QuotaTicket Refusal(QuotaOutcome outcome, CampaignStatus status)
    {
        lock (_gate) return Ticket(outcome, status);
    }

    public bool HasDefinition
    {
        get { lock (_gate) return _definition is not null; }
    }

    /// <summary>A holder activation is attached and reports for the pool. When not, an order settling here (durable or
    /// given back) wakes the holder grain, so what it settled is reported.</summary>
    public bool Attended
    {
        get { lock (_gate) return _holders > 0; }
    }

    /// <summary>Nothing held, in flight or unreported: the account can close.</summary>
    public bool Settled
    {
        get { lock (_gate) return _units == 0 && _inFlight == 0 && _consumedSinceReport == 0 && Account.Unacknowledged is null; }
    }

    /// <summary>Units taken by orders that are not durable yet.</summary>
    public int InFlight
    {
        get { lock (_gate) return _inFlight; }
    }

    /// <summary>The pool holds units, but nobody took any for longer than <paramref name="idleFor"/>.</summary>
    public bool IdleWithUnits(TimeSpan idleFor)
    {
        lock (_gate) return _units > 0 && clock.GetElapsedTime(_lastTake) > idleFor;
    }

    /// <summary>Some order took units within the last <paramref name="window"/>.</summary>
    public bool TookWithin(TimeSpan window)
    {
        lock (_gate) return _lastTake != 0 && clock.GetElapsedTime(_lastTake) <= window;
    }

    /// <summary>Takes what a lease granted, with the campaign's current definition and sales count.</summary>
    public void AddLease(QuotaLease lease)
    {
        lock (_gate)
        {
            _units += lease.Units;
            _definition = lease.Definition;
            _soldAtLastLease = lease.Sold;
        }
    }

    /// <summary>Moves what orders made durable since the last report (and, when asked, every unit held) out of the pool
    /// into a report. Units moved out are gone even if the report's answer is lost: an undersell, never an oversell.</summary>
    public (int Consumed, int Unused) TakeReport(bool returnUnits)
    {
        lock (_gate)
        {
            var consumed = _consumedSinceReport;
            var unused = returnUnits ? _units : 0;
            _consumedSinceReport -= consumed;
            _units -= unused;
            return (consumed, unused);
        }
    }

    /// <summary>The campaign acknowledged a report of <paramref name="consumed"/> units.</summary>
    public void Reported(int consumed)
    {
        lock (_gate) _soldAtLastLease += consumed;
    }

    /// <summary>A holder activation starts (or stops) reporting for this pool; while none does, orders take nothing here.</summary>
    public void Attach()
    {
        lock (_gate) _holders++;
    }

    public void Detach()
    {
        lock (_gate) _holders--;
    }

    private QuotaTicket Ticket(QuotaOutcome outcome, CampaignStatus status = CampaignStatus.Open) =>
        new(outcome, _definition, _definition?.PriceAt(_soldAtLastLease + _consumedSinceReport + _inFlight) ?? 0, status);
}

/// <summary>How the campaign knows a silo's holder: its id, and the numbers of its leases and reports, which make them
/// idempotent. One conversation at a time (<see cref="Turn"/>), even when two activations overlap (one deactivating).</summary>
public sealed class QuotaAccount
{
    public string HolderId { get; } = Guid.NewGuid().ToString("N");
    public SemaphoreSlim Turn { get; } = new(1, 1);
    public long ReportSeq { get; set; }
    /// <summary>The number of the last lease asked for, and whether its answer arrived (if not, the next ask repeats it).</summary>
    public long LeaseSeq { get; set; }
    public bool LeaseAnswered { get; set; } = true;
    /// <summary>A report sent whose answer has not arrived: sent again, unchanged, before anything new.</summary>
    public QuotaReport? Unacknowledged { get; set; }
}

/// <summary>A report to the campaign: units its orders made durable, units handed back, and whether the account closes.</summary>
public sealed record QuotaReport(long Seq, int Consumed, int Unused, bool Closing);

/// <summary>The silo's <see cref="QuotaPool"/>s, one per campaign with a holder here or orders still settling.</summary>
public sealed class QuotaPools(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, QuotaPool> _pools = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The campaign's pool here, attached to a holder activation: the one already here (the account the campaign
    /// knows, maybe with orders of an earlier activation still in flight) or a new one.</summary>
    public QuotaPool Attach(string campaignId)
    {
        lock (_gate)
        {
            var pool = _pools.GetOrAdd(campaignId, _ => new QuotaPool(clock));
            pool.Attach();
            return pool;
        }
    }

    /// <summary>Forgets a pool that no activation attends and that is settled (its account closed); true if it did.</summary>
    public bool RemoveIfSettled(string campaignId, QuotaPool pool)
    {
        lock (_gate) return !pool.Attended && pool.Settled && _pools.TryRemove(new(campaignId, pool));
    }

    /// <summary>See <see cref="QuotaPool.TryTake"/>; null also when no holder is active in this silo. With the pool
    /// taken from: the order gives its units back to, or counts them consumed at, that same pool.</summary>
    public (QuotaTicket? Ticket, QuotaPool? Pool) TryTake(string campaignId, int quantity, string customerRegion) =>
        _pools.TryGetValue(campaignId, out var pool) ? (pool.TryTake(quantity, customerRegion), pool) : (null, null);

    /// <summary>The pool of the campaign's holder active in this silo, if any.</summary>
    public QuotaPool? Find(string campaignId) => _pools.GetValueOrDefault(campaignId);
}
