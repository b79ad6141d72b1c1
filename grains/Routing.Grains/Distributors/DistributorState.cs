using Routing.Contracts.Distributors;
using Routing.Domain.Rules;
using Routing.Grains.History;

namespace Routing.Grains.Distributors;

/// <summary>Persistent state of one distributor.</summary>
[GenerateSerializer]
public sealed class DistributorState
{
    [Id(0)] public DistributorProfile? Profile { get; set; }
    [Id(1)] public Dictionary<string, StockState> Stock { get; set; } = new(StringComparer.Ordinal);
    // [Id(2)] held the reservations; they now live on their own shelves (see ReservationBook).
    [Id(3)] public DateOnly LoadDate { get; set; }
    [Id(4)] public int LoadToday { get; set; }
    /// <summary>The sequence number of the last stock movement; movements are numbered without gaps.</summary>
    [Id(5)] public long LedgerSeq { get; set; }
    /// <summary>Movements saved with the stock they changed but not yet confirmed written to the ledger (an outbox):
    /// sent again after a failure or a crash, and skipped by the ledger if already there.</summary>
    [Id(6)] public List<LedgerMovement> PendingLedger { get; set; } = [];
}

/// <summary>Stock of one SKU, with which alerts are currently raised (so each fires once per crossing).</summary>
[GenerateSerializer]
public sealed class StockState
{
    [Id(0)] public int OnHand { get; set; }
    [Id(1)] public int Reserved { get; set; }
    [Id(2)] public int Threshold { get; set; }
    [Id(3)] public bool LowStockRaised { get; set; }
    [Id(4)] public bool OutOfStockRaised { get; set; }

    public int Available => StockRules.Available(OnHand, Reserved);
}
