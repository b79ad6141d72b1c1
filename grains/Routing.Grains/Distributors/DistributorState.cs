using Routing.Contracts.Distributors;
using Routing.Contracts.Erp;
using Routing.Contracts.Stock;
using Routing.Domain.Rules;
using Routing.Grains.History;

namespace Routing.Grains.Distributors;

/// <summary>Persistent state of one distributor.</summary>
[GenerateSerializer]
public sealed class DistributorState
{
    [Id(0)] public DistributorProfile? Profile { get; set; }
    [Id(1)] public Dictionary<string, StockState> Stock { get; set; } = new(StringComparer.Ordinal);
    // [Id(2)] held the reservations; they are rebuilt from the order journal now (see DistributorGrain).
    [Id(3)] public DateOnly LoadDate { get; set; }
    [Id(4)] public int LoadToday { get; set; }
    /// <summary>The sequence number of the last stock movement; movements are numbered without gaps.</summary>
    [Id(5)] public long LedgerSeq { get; set; }
    /// <summary>Movements saved with the stock they changed but not yet confirmed written to the ledger (an outbox):
    /// sent again after a failure or a crash, and skipped by the ledger if already there.</summary>
    [Id(6)] public List<LedgerMovement> PendingLedger { get; set; } = [];
    /// <summary>Units held here for transfers out, not yet dispatched (counted in their SKU's reserved), by transfer id.</summary>
    [Id(7)] public Dictionary<string, TransferHold> TransferHolds { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Units dispatched to this distributor and not yet received, by transfer id.</summary>
    [Id(8)] public Dictionary<string, TransferHold> Incoming { get; set; } = new(StringComparer.Ordinal);
    /// <summary>The stock operations already applied here (returns received, transfers received), with when: a repeat
    /// of one moves nothing. The oldest are forgotten past <see cref="DistributorGrain.MaxRemembered"/>.</summary>
    [Id(9)] public Dictionary<string, DateTimeOffset> Applied { get; set; } = new(StringComparer.Ordinal);
    /// <summary>The latest stocktakes applied here, oldest first (at most <see cref="DistributorGrain.MaxStocktakes"/>).</summary>
    [Id(10)] public List<StocktakeView> Stocktakes { get; set; } = [];
    /// <summary>The latest SAP snapshots reconciled here, by snapshot id, oldest first (at most
    /// <see cref="DistributorGrain.MaxReconciliations"/>): a repeat answers what was applied.</summary>
    [Id(11)] public List<(string SnapshotId, DistributorReconciliation Result)> Reconciliations { get; set; } = [];
}

/// <summary>Units of one SKU a transfer holds at its source, or brings to its destination. <see cref="Confirmed"/> once
/// the transfer's record was seen to exist (a hold whose request never recorded it is given back).</summary>
[GenerateSerializer]
public sealed record TransferHold(
    [property: Id(0)] string Sku,
    [property: Id(1)] int Quantity,
    [property: Id(2)] DateTimeOffset Since,
    [property: Id(3)] bool Confirmed = false);

/// <summary>Stock of one SKU, with which alerts are currently raised (so each fires once per crossing).</summary>
[GenerateSerializer]
public sealed class StockState
{
    [Id(0)] public int OnHand { get; set; }
    /// <summary>Units reserved: what the open reservations (rebuilt from the order journal on activation) and the
    /// transfer holds hold. Saved with the rest; read back only as where the ledger stood at that save (a rebuild bridges
    /// to what the journal's orders hold with a movement).</summary>
    [Id(1)] public int Reserved { get; set; }
    [Id(2)] public int Threshold { get; set; }
    [Id(3)] public bool LowStockRaised { get; set; }
    [Id(4)] public bool OutOfStockRaised { get; set; }
    /// <summary>How fast its orders take it (<see cref="Velocity"/>); null until the first order here.</summary>
    [Id(5)] public Velocity? Velocity { get; set; }
    [Id(6)] public bool LowCoverRaised { get; set; }

    public int Available => StockRules.Available(OnHand, Reserved);
}
