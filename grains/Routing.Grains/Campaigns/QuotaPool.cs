using System.Collections.Concurrent;
using Routing.Contracts.Campaigns;

namespace Routing.Grains.Campaigns;

/// <summary>A silo's units of one campaign. Its <see cref="CampaignQuotaGrain"/> owns it (leases units into it, reports
/// what its orders made durable, closes it on deactivation); the silo's placements take units here with a method call
/// under a lock, so a flash sale's orders send no message to the per-silo holder while it has units. A unit taken is in
/// flight until its order is durable (<see cref="Consumed"/>) or gives it back (<see cref="Return"/>). When it cannot
/// answer alone (no lease yet, too few units, closed) the order asks the holder grain, which leases more.</summary>
public sealed class QuotaPool(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private CampaignDefinition? _definition;
    private int _units;
    private int _inFlight;
    private int _consumedSinceReport;
    private int _soldAtLastLease;
    private long _lastTake;
    private bool _closed;

    /// <summary>Answers an order when this pool alone can: taken, not open, region not eligible. Null means the holder
    /// grain must answer (it leases first): nothing leased yet, fewer units here than asked, or the pool is closed.</summary>
    public QuotaTicket? TryTake(int quantity, string customerRegion)
    {
        lock (_gate)
        {
            if (_closed || _definition is not { } definition) return null;
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

    /// <summary>Units taken for an order that will not hold them (refused, rejected, failed) come back here, closed or not:
    /// a closing holder waits for what is in flight and reports it as unused.</summary>
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

    /// <summary>No more takes: the holder is going away and reports what is left once nothing is in flight.</summary>
    public void Close()
    {
        lock (_gate) _closed = true;
    }

    private QuotaTicket Ticket(QuotaOutcome outcome, CampaignStatus status = CampaignStatus.Open) =>
        new(outcome, _definition, _definition?.PriceAt(_soldAtLastLease + _consumedSinceReport + _inFlight) ?? 0, status);
}

/// <summary>The silo's <see cref="QuotaPool"/>s, one per campaign whose holder grain is active here.</summary>
public sealed class QuotaPools(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, QuotaPool> _pools = new(StringComparer.Ordinal);

    /// <summary>A new, empty pool for a holder grain that just activated (replacing a closed one).</summary>
    public QuotaPool Open(string campaignId) => _pools[campaignId] = new QuotaPool(clock);

    /// <summary>Forgets a closed pool, unless a newer holder already opened another.</summary>
    public void Remove(string campaignId, QuotaPool pool) => _pools.TryRemove(new(campaignId, pool));

    /// <summary>See <see cref="QuotaPool.TryTake"/>; null also when no holder is active in this silo. With the pool
    /// taken from: the order gives its units back to, or counts them consumed at, that same pool.</summary>
    public (QuotaTicket? Ticket, QuotaPool? Pool) TryTake(string campaignId, int quantity, string customerRegion) =>
        _pools.TryGetValue(campaignId, out var pool) ? (pool.TryTake(quantity, customerRegion), pool) : (null, null);

    /// <summary>The pool of the campaign's holder active in this silo, if any.</summary>
    public QuotaPool? Find(string campaignId) => _pools.GetValueOrDefault(campaignId);
}
