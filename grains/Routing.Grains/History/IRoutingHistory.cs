using Routing.Contracts.Orders;
using Routing.Domain;

namespace Routing.Grains.History;

/// <summary>The history people query: every order's latest state (the order journal's records, <see cref="IOrderJournal"/>)
/// and every stock movement. The API reads it; distributor grains append their movements, idempotently (by distributor
/// and sequence number), so a retried append never loses or doubles a row. The silo host decides what backs it
/// (PostgreSQL or memory).</summary>
public interface IRoutingHistory
{
    /// <summary>Appends stock movements, skipping any already written. Never throws: answers false when they could not
    /// be written, and the caller keeps them to try again.</summary>
    Task<bool> AppendLedgerAsync(IReadOnlyList<LedgerMovement> movements);

    /// <summary>Ids of every order placed in a campaign.</summary>
    Task<IReadOnlyList<string>> CampaignOrderIdsAsync(string campaignId);

    /// <summary>Orders matching every given filter, newest first (or oldest first), one page.</summary>
    Task<HistoryPage<OrderView>> FindOrdersAsync(OrderSearch search);

    /// <summary>A distributor's stock movements, newest first, one page.</summary>
    Task<HistoryPage<LedgerMovement>> LedgerAsync(string distributorId, int page, int pageSize);

    /// <summary>A distributor's stock statement per SKU over [<paramref name="since"/>, <paramref name="until"/>)
    /// (<see cref="LedgerSummary"/>): movements are in the period by their time, and follow each other by sequence.</summary>
    Task<IReadOnlyList<LedgerSummaryRow>> LedgerSummaryAsync(string distributorId, DateTimeOffset since, DateTimeOffset until);

    /// <summary>The orders an analysis counts (<see cref="OrderAnalytics"/>), grouped by what it counts of them, and each
    /// distributor's part (only the query's distributor when it names one).</summary>
    Task<(IReadOnlyList<OrderGroup> Groups, IReadOnlyList<DistributorFigures> Distributors)> OrderAnalyticsAsync(AnalyticsQuery query);

    /// <summary>Per SKU, the last movement written at or before <paramref name="at"/>: its number and the on hand it left
    /// (what a stocktake counted at that time is compared with).</summary>
    Task<IReadOnlyDictionary<string, (long Seq, int OnHand)>> OnHandAtAsync(string distributorId, DateTimeOffset at);

    /// <summary>Per SKU, the last movement numbered after <paramref name="afterSeq"/>: what a distributor's ledger holds
    /// beyond its last saved state (its reservations' movements are appended without a state write), so an activation
    /// goes on numbering after them and its rebuilt reservations continue from the reserved they left.</summary>
    Task<IReadOnlyDictionary<string, LedgerMovement>> LedgerTailAsync(string distributorId, long afterSeq);
}

/// <summary>Filters of an order search; null means "any". Page numbers start at 1. <see cref="SalesManagerId"/> matches
/// the sales manager an order was placed under (<see cref="OrderView.SalesManagerId"/>).</summary>
public sealed record OrderSearch(
    string? CampaignId = null,
    string? CustomerId = null,
    string? DistributorId = null,
    OrderStatus? Status = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int Page = 1,
    int PageSize = 50,
    IReadOnlyList<OrderStatus>? Statuses = null,
    bool OldestFirst = false,
    bool PreOrdersOnly = false,
    string? SalesManagerId = null);

/// <summary>One page of results, with the total count of matches.</summary>
public sealed record HistoryPage<T>(IReadOnlyList<T> Items, long Total, int Page, int PageSize);
