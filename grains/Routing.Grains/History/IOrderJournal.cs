using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Domain.Rules;

namespace Routing.Grains.History;

/// <summary>An order's one record: the order grain's whole state (<see cref="State"/>, Orleans-serialized) and what the
/// history lists of it (<see cref="Listed"/>: the order without its routing explanation). Both are written in one write,
/// so the order's truth is kept in one place: there is no second copy to repair after a crash.</summary>
public sealed record OrderRecord(OrderView Listed, int Revision, byte[] State)
{
    /// <summary>When the order expires unpaid, if it can (<see cref="PaymentRules.ExpiresAt"/>).</summary>
    public DateTimeOffset? PaymentExpiresAt => PaymentRules.ExpiresAt(Listed.Status, Listed.Payment);

    /// <summary>When it is decided for, if it waits for a decision (<see cref="OrderRules.DecisionDueAt"/>).</summary>
    public DateTimeOffset? DecisionDueAt => OrderRules.DecisionDueAt(Listed.Status, Listed.ExpiresAt);
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
    /// Answers its new version once it is durable, or null when the check failed (another activation wrote it).</summary>
    Task<int?> WriteAsync(OrderRecord record, int? expectedVersion);

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
