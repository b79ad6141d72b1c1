namespace Routing.Contracts.Stock;

/// <summary>Where a transfer between two distributors (调拨) is.</summary>
public enum TransferStatus
{
    /// <summary>Asked for by ops: the units are held at the source (reserved there), nothing has moved yet.</summary>
    Requested,
    /// <summary>Dispatched: off the source's on hand, shown as incoming at the destination.</summary>
    InTransit,
    /// <summary>Received in full at the destination.</summary>
    Received,
    /// <summary>Received short: fewer units arrived than were dispatched (a <c>TransferDiscrepancy</c> alert says so).</summary>
    Discrepancy,
    /// <summary>Cancelled before dispatch: the held units were given back to the source.</summary>
    Cancelled,
}

/// <summary>A transfer of <see cref="Quantity"/> units of one SKU from one distributor to another, as the API shows it.
/// <see cref="Fingerprint"/> is what makes a retried request with the same <c>Idempotency-Key</c> the same request.</summary>
[GenerateSerializer, Immutable]
public sealed record TransferView(
    [property: Id(0)] string TransferId,
    [property: Id(1)] string FromDistributorId,
    [property: Id(2)] string ToDistributorId,
    [property: Id(3)] string Sku,
    [property: Id(4)] int Quantity,
    [property: Id(5)] TransferStatus Status,
    [property: Id(6)] int? ReceivedQuantity,
    [property: Id(7)] string RequestedBy,
    [property: Id(8)] DateTimeOffset RequestedAt,
    [property: Id(9)] DateTimeOffset UpdatedAt,
    [property: Id(10)] DateTimeOffset? DispatchedAt = null,
    [property: Id(11)] DateTimeOffset? ReceivedAt = null)
{
    public string Fingerprint() => $"{FromDistributorId}|{ToDistributorId}|{Sku}|{Quantity}";
}

/// <summary>How a change of a transfer went: the transfer as it is after it, unless not found.</summary>
public enum TransferOutcome
{
    Done,
    /// <summary>The same idempotency key and body again: the original answer.</summary>
    Replayed,
    NotFound,
    /// <summary>The same idempotency key with a different body.</summary>
    IdempotencyConflict,
    /// <summary>A distributor named does not exist.</summary>
    DistributorNotFound,
    /// <summary>Not enough available at the source to hold the units.</summary>
    InsufficientStock,
    /// <summary>Its status does not allow it.</summary>
    NotAllowed,
    /// <summary>More units received than were dispatched.</summary>
    ReceivedExceedsDispatched,
}

[GenerateSerializer, Immutable]
public sealed record TransferResult(
    [property: Id(0)] TransferOutcome Outcome,
    [property: Id(1)] TransferView? Transfer,
    [property: Id(2)] string? Detail = null);

/// <summary>One transfer, keyed by its id (derived from the idempotency key of its request). Its record is its truth; the
/// stock it moves is decided by the two distributor grains, each step idempotent there by the transfer's id, so a retried
/// step (after a crash between the stock change and the record) moves nothing twice.</summary>
public interface ITransferGrain : IGrainWithStringKey
{
    [ReadOnly] Task<TransferView?> GetAsync();

    /// <summary>Holds the units at the source and records the transfer as Requested; the same request again is a replay.</summary>
    Task<TransferResult> RequestAsync(string fromDistributorId, string toDistributorId, string sku, int quantity, string requestedBy);

    /// <summary>Requested → InTransit: off the source's on hand, incoming at the destination. A repeat is harmless.</summary>
    Task<TransferResult> DispatchAsync();

    /// <summary>InTransit → Received (or Discrepancy when fewer arrived): onto the destination's on hand.</summary>
    Task<TransferResult> ReceiveAsync(int receivedQuantity);

    /// <summary>Requested → Cancelled: the held units go back to the source's available.</summary>
    Task<TransferResult> CancelAsync();
}

/// <summary>Where a return (退换货) is.</summary>
public enum ReturnStatus
{
    /// <summary>Asked for by the customer (or ops): the goods are on their way back.</summary>
    Requested,
    /// <summary>Received by the distributor: resellable units back on hand, damaged ones written off.</summary>
    Received,
}

/// <summary>Units of one SKU to send back.</summary>
[GenerateSerializer, Immutable]
public sealed record ReturnLine(
    [property: Id(0)] string Sku,
    [property: Id(1)] int Quantity);

/// <summary>What came back of one SKU: <see cref="Resellable"/> go back on hand, <see cref="Damaged"/> are written off.</summary>
[GenerateSerializer, Immutable]
public sealed record ReceivedLine(
    [property: Id(0)] string Sku,
    [property: Id(1)] int Resellable,
    [property: Id(2)] int Damaged);

/// <summary>A return of part of a shipped order to the distributor that shipped it, as the API shows it.</summary>
[GenerateSerializer, Immutable]
public sealed record ReturnView(
    [property: Id(0)] string ReturnId,
    [property: Id(1)] string OrderId,
    [property: Id(2)] string CustomerId,
    [property: Id(3)] string DistributorId,
    [property: Id(4)] ReturnStatus Status,
    [property: Id(5)] IReadOnlyList<ReturnLine> Lines,
    [property: Id(6)] string Reason,
    [property: Id(7)] bool Exchange,
    [property: Id(8)] DateTimeOffset RequestedAt,
    [property: Id(9)] DateTimeOffset UpdatedAt,
    [property: Id(10)] IReadOnlyList<ReceivedLine>? Received = null,
    [property: Id(11)] DateTimeOffset? ReceivedAt = null,
    [property: Id(12)] string? ReplacementOrderId = null)
{
    public string Fingerprint() => $"{string.Join(';', Lines.Select(l => $"{l.Sku}:{l.Quantity}"))}|{Reason}|{Exchange}";
}

public enum ReturnOutcome
{
    Done,
    Replayed,
    NotFound,
    IdempotencyConflict,
    /// <summary>The order is not shipped or completed (nothing of it can come back yet).</summary>
    NotShipped,
    /// <summary>More than shipped less already returned, or a SKU the order did not ship.</summary>
    ExceedsShipped,
    /// <summary>The lines were shipped by more than one distributor: one return goes back to one distributor.</summary>
    SpansDistributors,
    /// <summary>A receipt of more than the return's lines, or of a SKU not in it.</summary>
    ExceedsReturn,
    /// <summary>Its status does not allow it (received already, with a different receipt).</summary>
    NotAllowed,
}

[GenerateSerializer, Immutable]
public sealed record ReturnResult(
    [property: Id(0)] ReturnOutcome Outcome,
    [property: Id(1)] ReturnView? Return,
    [property: Id(2)] string? Detail = null);

/// <summary>The returns of one order, keyed by the order id: requests are decided here one at a time, so two racing
/// requests can never return more than was shipped. Each return's record is its truth (the store's); this grain reads them
/// all when it activates.</summary>
public interface IOrderReturnsGrain : IGrainWithStringKey
{
    [ReadOnly] Task<IReadOnlyList<ReturnView>> ListAsync();

    /// <summary>Records a return of <paramref name="lines"/> (each SKU once) against the order; the same request again
    /// (same id and body) is a replay. <paramref name="distributorId"/> names the distributor it goes back to, needed
    /// only when the order's lines were shipped by more than one.</summary>
    Task<ReturnResult> RequestAsync(string returnId, IReadOnlyList<ReturnLine> lines, string reason, bool exchange, string? distributorId);

    /// <summary>Requested → Received: resellable units back on hand at the return's distributor, damaged written off; with
    /// an exchange, a replacement order is routed for what came back. The same receipt again is a harmless repeat.</summary>
    Task<ReturnResult> ReceiveAsync(string returnId, IReadOnlyList<ReceivedLine> lines);
}

/// <summary>One counted SKU of a stocktake.</summary>
[GenerateSerializer, Immutable]
public sealed record CountedLine(
    [property: Id(0)] string Sku,
    [property: Id(1)] int Counted);

/// <summary>One SKU of a stocktake as it was applied: <see cref="Expected"/> is what the ledger says was on hand at the
/// count's time, <see cref="Difference"/> = counted − expected, applied to today's on hand unless that would take it
/// below what is reserved (<see cref="NeedsReview"/>: not applied, a <c>StocktakeShortfall</c> alert raised).</summary>
[GenerateSerializer, Immutable]
public sealed record StocktakeLine(
    [property: Id(0)] string Sku,
    [property: Id(1)] int Counted,
    [property: Id(2)] int Expected,
    [property: Id(3)] int Difference,
    [property: Id(4)] bool Applied,
    [property: Id(5)] bool NeedsReview,
    [property: Id(6)] int OnHandAfter);

/// <summary>A stocktake (盘点) of one distributor as it was applied.</summary>
[GenerateSerializer, Immutable]
public sealed record StocktakeView(
    [property: Id(0)] string StocktakeId,
    [property: Id(1)] string DistributorId,
    [property: Id(2)] DateTimeOffset CountedAt,
    [property: Id(3)] IReadOnlyList<StocktakeLine> Lines,
    [property: Id(4)] DateTimeOffset AppliedAt,
    [property: Id(5), System.Text.Json.Serialization.JsonIgnore] string Fingerprint);

/// <summary>A stocktake as applied; <see cref="Replayed"/> when it was applied before, by a request with the same id
/// (whose <see cref="StocktakeView.Fingerprint"/> says whether it was the same request).</summary>
[GenerateSerializer, Immutable]
public sealed record StocktakeResult(
    [property: Id(0)] StocktakeView Stocktake,
    [property: Id(1)] bool Replayed);
