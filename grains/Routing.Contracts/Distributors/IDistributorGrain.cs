using Routing.Contracts.Erp;
using Routing.Contracts.Stock;
using Routing.Domain;

namespace Routing.Contracts.Distributors;

/// <summary>One distributor: profile, stock per SKU, reservations and today's load. The only place stock is decided.</summary>
public interface IDistributorGrain : IGrainWithStringKey
{
    Task<UpsertResult> UpsertProfileAsync(DistributorProfile profile);

    [ReadOnly] Task<DistributorProfile?> GetProfileAsync();

    /// <summary>Sets on hand and threshold of a SKU (stock truth from the ERP, or a stocktake).</summary>
    Task<StockUpdateResult> SetStockAsync(string sku, int onHand, int threshold);

    /// <summary>Sets many SKUs' on hand and threshold in one turn and one write (a SAP stock import), each as
    /// <see cref="SetStockAsync"/> would; null when the distributor does not exist.</summary>
    Task<IReadOnlyList<StockLevelOutcome>?> SetStockLevelsAsync(IReadOnlyList<ImportedStock> levels);

    [ReadOnly] Task<IReadOnlyList<InventoryItem>> GetInventoryAsync();

    [ReadOnly] Task<IReadOnlyList<Reservation>> GetReservationsAsync();

    /// <summary>Reserves every line or none. Idempotent by order id: a repeat returns success without reserving twice.</summary>
    Task<ReservationResult> ReserveAsync(string orderId, IReadOnlyList<OrderLine> lines);

    /// <summary>Reserves for many orders in one turn, each order all or nothing and answered alone (the answers in the
    /// order of the requests); idempotent per order id like <see cref="ReserveAsync"/>. Nothing is written here: a
    /// reservation becomes durable with its order's journal record, which names this activation's epoch.</summary>
    Task<IReadOnlyList<ReservationResult>> ReserveManyAsync(IReadOnlyList<ReservationRequest> requests);

    /// <summary>Releases an order's reservation; idempotent (releasing nothing is fine).</summary>
    Task ReleaseAsync(string orderId);

    /// <summary>A failed placement attempt gives back its claim on an order's reservation: released only when no other
    /// attempt of the order still claims it and it is not verified (its order's record holds it). Idempotent.</summary>
    Task ReleaseAttemptAsync(string orderId, long attemptId);

    /// <summary>An order's journal write found that this distributor activated again after <paramref name="epoch"/>
    /// reserved for it: if this activation is that epoch's, another one has taken over, and this one goes.</summary>
    Task ReservationsMovedAsync(long epoch);

    /// <summary>Turns an order's reservation into a shipment: on hand and reserved both drop. Idempotent.</summary>
    Task<bool> ShipAsync(string orderId);

    /// <summary>Settles unverified reservations after their orders were asked (used by the grain's own expiry timer):
    /// marks <paramref name="held"/> verified, trimmed to the lines each carries here (what its order allocates at this
    /// distributor), and releases <paramref name="orphaned"/>, each only if the reservation is still the one that was
    /// checked (same reservation time).</summary>
    Task SettleReservationsAsync(IReadOnlyList<Reservation> held, IReadOnlyList<Reservation> orphaned);

    // Stock operations besides orders. Each is idempotent by the operation's id, so the grain driving it (a transfer, an
    // order's returns) may repeat a step after a crash without moving stock twice.

    /// <summary>Holds units of a SKU for a transfer out (reserved, so no order can take them). A repeat is harmless.</summary>
    Task<StockOperationOutcome> HoldForTransferAsync(string transferId, string sku, int quantity);

    /// <summary>Gives a transfer's held units back (cancelled before dispatch). Nothing held: nothing to do.</summary>
    Task ReleaseTransferAsync(string transferId);

    /// <summary>Sends a transfer's held units off: on hand and reserved both drop (ledger <c>TransferOut</c>).</summary>
    Task DispatchTransferAsync(string transferId);

    /// <summary>Shows a dispatched transfer's units as incoming here until they are received.</summary>
    Task<StockOperationOutcome> ExpectTransferAsync(string transferId, string sku, int quantity);

    /// <summary>Takes an incoming transfer's received units onto on hand (ledger <c>TransferIn</c>); it is no longer incoming.</summary>
    Task ReceiveTransferAsync(string transferId, int receivedQuantity);

    /// <summary>Takes a return's goods back: every unit returns (ledger <c>Return</c>), the damaged ones are written off
    /// (ledger <c>WriteOff</c>), so on hand grows by the resellable units.</summary>
    Task<StockOperationOutcome> ReceiveReturnAsync(string returnId, IReadOnlyList<ReceivedLine> lines);

    /// <summary>Applies a stocktake counted at <paramref name="countedAt"/>: per line, expected is the ledger's on hand at
    /// that time and the difference is applied to today's on hand, unless that would go below reserved (not applied,
    /// <c>StocktakeShortfall</c>). The same stocktake id again answers what was applied, without applying it twice. Null
    /// when the distributor does not exist.</summary>
    Task<StocktakeResult?> StocktakeAsync(string stocktakeId, DateTimeOffset countedAt, IReadOnlyList<CountedLine> lines, string fingerprint);

    /// <summary>Reconciles SAP's on hand as of <paramref name="asOf"/> (SAP wins): per row, the difference to the ledger's on
    /// hand at that time is posted to today's (ledger <c>ErpAdjust</c>), never below reserved (a shortfall, naming the
    /// orders at risk); differences beyond <paramref name="tolerance"/> raise <c>ReconciliationDifference</c>. The same
    /// snapshot id again answers what was applied, without applying it twice. Null when the distributor does not exist.</summary>
    Task<DistributorReconciliation?> ReconcileAsync(string snapshotId, DateTimeOffset asOf, IReadOnlyList<SnapshotRow> rows, int tolerance);

    /// <summary>The latest stocktakes applied here, newest first.</summary>
    [ReadOnly] Task<IReadOnlyList<StocktakeView>> GetStocktakesAsync();

    /// <summary>Pushes this distributor's snapshot to the directory (used when the directory reactivates).</summary>
    [OneWay] Task PublishSnapshotAsync();
}
