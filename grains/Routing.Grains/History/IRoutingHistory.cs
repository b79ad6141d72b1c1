using Routing.Contracts.Orders;

namespace Routing.Grains.History;

/// <summary>The history people query: every order's latest state and every stock movement. Grains write it, the API
/// reads it. Writes are idempotent (orders by id and revision, movements by distributor and sequence number), so a
/// retried grain call never loses or doubles a row. The silo host decides what backs it (PostgreSQL or memory).</summary>
public interface IRoutingHistory
{
    /// <summary>Upserts an order's row; a lower revision never overwrites a higher one. Completes once the row is
    /// durable (written together with other orders in one round trip); throws <see cref="HistoryUnavailableException"/>
    /// when it could not be written.</summary>
    Task SaveOrderAsync(OrderView order, int revision);

    /// <summary>Deletes an order's row if it is still at <paramref name="revision"/>: for a row written alongside an
    /// order state that then failed to save (so the order was never acknowledged). Best effort: never throws.</summary>
    Task ForgetOrderAsync(string orderId, int revision);

    /// <summary>Appends stock movements, skipping any already written. Never throws: answers false when they could not
    /// be written, and the caller keeps them to try again.</summary>
    Task<bool> AppendLedgerAsync(IReadOnlyList<LedgerMovement> movements);

    /// <summary>Ids of every order placed in a campaign.</summary>
    Task<IReadOnlyList<string>> CampaignOrderIdsAsync(string campaignId);

    /// <summary>Orders matching every given filter, newest first, one page.</summary>
    Task<HistoryPage<OrderView>> FindOrdersAsync(OrderSearch search);

    /// <summary>A distributor's stock movements, newest first, one page.</summary>
    Task<HistoryPage<LedgerMovement>> LedgerAsync(string distributorId, int page, int pageSize);
}

/// <summary>Filters of an order search; null means "any". Page numbers start at 1.</summary>
public sealed record OrderSearch(
    string? CampaignId = null,
    string? CustomerId = null,
    string? DistributorId = null,
    OrderStatus? Status = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int Page = 1,
    int PageSize = 50);

/// <summary>One page of results, with the total count of matches.</summary>
public sealed record HistoryPage<T>(IReadOnlyList<T> Items, long Total, int Page, int PageSize);

/// <summary>The history store could not take a write. What the grain saved stays saved: a retry with the same
/// idempotency key returns the saved answer and writes its history row again.</summary>
[GenerateSerializer]
public sealed class HistoryUnavailableException : Exception
{
    public HistoryUnavailableException() { }
    public HistoryUnavailableException(string message) : base(message) { }
    public HistoryUnavailableException(string message, Exception inner) : base(message, inner) { }
}
