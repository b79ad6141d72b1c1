namespace Routing.Contracts.Erp;

/// <summary>SAP's on hand of one SKU at one distributor, as of its snapshot's time.</summary>
[GenerateSerializer, Immutable]
public sealed record SnapshotRow(
    [property: Id(0)] string DistributorId,
    [property: Id(1)] string Sku,
    [property: Id(2)] int OnHand);

/// <summary>One SKU where SAP and Routing differed as of the snapshot's time: <see cref="Difference"/> = sap − ours,
/// posted to today's on hand (ledger <c>ErpAdjust</c>) as <see cref="Applied"/> units; less than the difference only
/// when that would have taken on hand below reserved (<see cref="Shortfall"/>, with the orders whose reservations are
/// at risk there).</summary>
[GenerateSerializer, Immutable]
public sealed record SnapshotDifference(
    [property: Id(0)] string DistributorId,
    [property: Id(1)] string Sku,
    [property: Id(2)] int Ours,
    [property: Id(3)] int Sap,
    [property: Id(4)] int Difference,
    [property: Id(5)] int Applied,
    [property: Id(6)] bool Shortfall,
    [property: Id(7)] IReadOnlyList<string> OrdersAtRisk);

public enum SnapshotStatus
{
    /// <summary>Accepted; its distributors are being reconciled.</summary>
    Running,
    Completed,
}

/// <summary>A stock snapshot from SAP and how it was reconciled. <see cref="Rows"/> counts what SAP sent,
/// <see cref="Processed"/> how many are reconciled so far, <see cref="Matched"/> those with no difference.</summary>
[GenerateSerializer, Immutable]
public sealed record SnapshotView(
    [property: Id(0)] string SnapshotId,
    [property: Id(1)] DateTimeOffset AsOf,
    [property: Id(2)] int Tolerance,
    [property: Id(3)] SnapshotStatus Status,
    [property: Id(4)] int Rows,
    [property: Id(5)] int Processed,
    [property: Id(6)] int Matched,
    [property: Id(7)] IReadOnlyList<SnapshotDifference> Differences,
    [property: Id(8)] DateTimeOffset ReceivedAt,
    [property: Id(9)] DateTimeOffset? CompletedAt);

/// <summary>One distributor's part of a snapshot, as reconciled there.</summary>
[GenerateSerializer, Immutable]
public sealed record DistributorReconciliation(
    [property: Id(0)] int Matched,
    [property: Id(1)] IReadOnlyList<SnapshotDifference> Differences);

/// <summary>One SAP stock snapshot (key: its <c>snapshotId</c>): accepted at once, reconciled in the background one
/// distributor at a time (each distributor's part in one call, idempotent there by the snapshot id), its record saved
/// as it goes, so progress is visible and a snapshot cut short by a restart carries on when it is next read.</summary>
public interface IStockSnapshotGrain : IGrainWithStringKey
{
    /// <summary>Accepts the snapshot (the same id again: the same snapshot, or null when its rows differ).</summary>
    Task<SnapshotView?> StartAsync(DateTimeOffset asOf, int tolerance, IReadOnlyList<SnapshotRow> rows, string fingerprint);

    [ReadOnly] Task<SnapshotView?> GetAsync();
}
