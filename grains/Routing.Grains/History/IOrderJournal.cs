using Orleans.Storage;
using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Domain.Rules;

namespace Routing.Grains.History;

/// <summary>An order's one record: the order grain's whole state (<see cref="State"/>, Orleans-serialized) and what the
/// history lists of it (<see cref="Listed"/>: the order without its routing explanation). Both are written in one write,
/// so the order's truth is kept in one place: there is no second copy to repair after a crash.
/// <see cref="Fences"/>: the distributors whose reservations this write makes durable, each with the activation that
/// made them (<see cref="ReservationFence"/>).</summary>
public sealed record OrderRecord(OrderView Listed, int Revision, byte[] State, IReadOnlyList<ReservationFence>? Fences = null)
{
    /// <summary>When the order expires unpaid, if it can (<see cref="PaymentRules.ExpiresAt"/>).</summary>
    public DateTimeOffset? PaymentExpiresAt => PaymentRules.ExpiresAt(Listed.Status, Listed.Payment);

    /// <summary>When it is decided for, if it waits for a decision (<see cref="OrderRules.DecisionDueAt"/>).</summary>
    public DateTimeOffset? DecisionDueAt => OrderRules.DecisionDueAt(Listed.Status, Listed.ExpiresAt);
}

/// <summary>A distributor's activation that reserved units for an order (its <paramref name="Epoch"/>, from
/// <see cref="IOrderJournal.BeginEpochAsync"/>). The journal writes a record that makes reservations durable only while
/// each named distributor is still at that epoch: a distributor that activated again since has rebuilt its reservations
/// from the journal without this order, so the write must fail rather than leave units the distributor does not hold.</summary>
public sealed record ReservationFence(string DistributorId, long Epoch);

/// <summary>A journal write refused because a distributor it reserved at has activated again since (its reservations
/// were rebuilt from the journal without this order): nothing was written, and the reservations are to be made again at
/// the distributor's new activation. A write conflict, like any stale write: a retry starts afresh.</summary>
[GenerateSerializer]
public sealed class ReservationsMovedException(string orderId, IReadOnlyList<ReservationFence> stale)
    : InconsistentStateException($"order {orderId}: distributor(s) {string.Join(", ", stale.Select(f => f.DistributorId))} activated again " +
        "since reserving; its reservations were not written", storedEtag: "unknown", currentEtag: "none")
{
    /// <summary>The distributors that moved on.</summary>
    [Id(0)] public string[] Stale { get; private set; } = [.. stale.Select(f => f.DistributorId)];
}

/// <summary>What a customer's limits are counted from: one of its orders in the journal.</summary>
public sealed record CustomerOrder(string OrderId, string? CampaignId, int Units, OrderStatus Status)
{
    /// <summary>Whether the order's units count against its campaign's per-customer limit: a rejected or cancelled order
    /// gave them back.</summary>
    public bool HoldsUnits => CampaignId is not null && OrderRules.HoldsCampaignUnits(Status);
}

/// <summary>The order journal: one record per order, written with group commit (many orders' writes share one
/// transaction) and an optimistic-concurrency check per record. The order grains' storage; the history's orders are
/// these same records.</summary>
public interface IOrderJournal
{
    /// <summary>The record's version and state, or (null, null) when the order has none.</summary>
    Task<(int? Version, byte[]? State)> ReadAsync(string orderId);

    /// <summary>Writes the record if it is still at <paramref name="expectedVersion"/> (null: it must not exist yet).
    /// Answers its new version once it is durable, or null when the check failed (another activation wrote it).
    /// A record with <see cref="OrderRecord.Fences"/> is written only while each named distributor is at its epoch;
    /// otherwise the write fails alone with <see cref="ReservationsMovedException"/>.</summary>
    Task<int?> WriteAsync(OrderRecord record, int? expectedVersion);

    /// <summary>Starts a new activation of a distributor: its next epoch, durable before it is answered. From then on no
    /// write fenced with an older epoch of it lands, and every one that did is visible to
    /// <see cref="OrdersHoldingStockAtAsync"/>.</summary>
    Task<long> BeginEpochAsync(string distributorId);

    /// <summary>Every order holding stock at a distributor (<see cref="OrderRules.HoldsStockAt"/>): what its reservations
    /// are rebuilt from when it activates.</summary>
    Task<IReadOnlyList<OrderView>> OrdersHoldingStockAtAsync(string distributorId);

    /// <summary>Every order of one customer the journal holds (for its limits, rebuilt when its grain activates).</summary>
    Task<IReadOnlyList<CustomerOrder>> CustomerOrdersAsync(string customerId);

    /// <summary>The units a campaign has sold: those its orders in the journal hold (<see cref="OrderRules.HoldsCampaignUnits"/>).
    /// The campaign's count, never kept anywhere else.</summary>
    Task<int> CampaignUnitsAsync(string campaignId);

    /// <summary>Up to <paramref name="limit"/> orders of a campaign whose payment expires at or before
    /// <paramref name="asOf"/> (<see cref="OrderRecord.PaymentExpiresAt"/>), earliest first: what its payment sweep cancels.</summary>
    Task<IReadOnlyList<string>> ExpiringPaymentsAsync(string campaignId, DateTimeOffset asOf, int limit);

    /// <summary>Up to <paramref name="limit"/> orders waiting for a decision that is due at or before
    /// <paramref name="asOf"/> (<see cref="OrderRecord.DecisionDueAt"/>), earliest first: what the decision sweep cancels.</summary>
    Task<IReadOnlyList<string>> DecisionsDueAsync(DateTimeOffset asOf, int limit);
}
