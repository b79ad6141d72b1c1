using System.Collections.Concurrent;
using Orleans.Storage;
using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Domain.Rules;
using Routing.Grains.Orders;

namespace Routing.Grains.History;

/// <summary>History and the order journal kept in this process, for the embedded single-process default (memory
/// storage): lost on restart, like everything else in that mode. Same semantics as PostgreSQL: an order's state and its
/// listed row are one record, written with a version check; ledger movements are appended once each; the ERP feed's
/// events are appended by the writes that make them (a cursor is an event's place in the list).</summary>
/// <remarks>Kept compact, so that a long sale's heap holds a few objects per order rather than its object graph (which the
/// collector traces on every full collection): an order is its state's bytes and the handful of fields the journal's
/// indexes and searches look at, with the ids they share interned; its listed row is read back from the state (with
/// <paramref name="serializer"/>, the order grains' storage serializer) only for the rows a search answers.</remarks>
public sealed class InMemoryRoutingHistory(IGrainStorageSerializer serializer) : IRoutingHistory, IOrderJournal, IErpFeed
{
    private readonly ConcurrentDictionary<string, Stored> _orders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, long), LedgerMovement> _ledger = new();
    /// <summary>Each customer's order ids, so rebuilding a customer's limits does not scan every order.</summary>
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _byCustomer = new(StringComparer.Ordinal);
    /// <summary>Each campaign's units held by its orders, kept with every write (the journal's index, not a second count).</summary>
    private readonly ConcurrentDictionary<string, int> _campaignUnits = new(StringComparer.Ordinal);
    /// <summary>Each campaign's orders that can expire unpaid, with when (the journal's index, as in PostgreSQL).</summary>
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, DateTimeOffset>> _expiring = new(StringComparer.Ordinal);
    /// <summary>Orders waiting for a decision, with when it is due (the journal's index, as in PostgreSQL).</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _decisionsDue = new(StringComparer.Ordinal);
    /// <summary>The ERP feed, in order: the event at index i has the cursor (0, i + 1). Appended and read under its lock.</summary>
    private readonly List<ErpChange> _feed = [];
    /// <summary>One instance of each id the stored orders repeat (customers, campaigns, distributors, sales managers).</summary>
    private readonly ConcurrentDictionary<string, string> _ids = new(StringComparer.Ordinal);

    /// <summary>Each distributor's current epoch (<see cref="BeginEpochAsync"/>); fenced writes check it under its lock.</summary>
    private readonly Dictionary<string, long> _epochs = new(StringComparer.Ordinal);
    /// <summary>Per distributor, the orders that hold stock there (the journal's index, as the partial index in PostgreSQL).</summary>
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _holdingAt = new(StringComparer.Ordinal);

    /// <summary>An order's record as kept here: its state's bytes, and what the indexes and searches look at.</summary>
    private sealed class Stored(OrderView listed, byte[] state, int version, Func<string, string> intern)
    {
        public byte[] State { get; } = state;
        public int Version { get; } = version;
        public string OrderId { get; } = listed.OrderId;
        public string CustomerId { get; } = intern(listed.CustomerId);
        public string? CampaignId { get; } = listed.CampaignId is { } c ? intern(c) : null;
        public string? SalesManagerId { get; } = listed.SalesManagerId is { } m ? intern(m) : null;
        public string[] Distributors { get; } = [.. listed.Allocations.Select(a => intern(a.DistributorId)).Distinct()];
        public OrderStatus Status { get; } = listed.Status;
        public PaymentStatus? Payment { get; } = listed.Payment?.Status;
        public int Units { get; } = listed.Lines.Sum(l => l.Quantity);
        public bool PreOrder { get; } = listed.PreOrder;
        public DateTimeOffset PlacedAt { get; } = listed.PlacedAt;

        /// <summary>Its campaign's units it holds (the campaign's count and the customer's limit).</summary>
        public int CampaignUnitsHeld => OrderRules.HoldsCampaignUnits(Status) ? Units : 0;
    }

    private string Intern(string id) => _ids.GetOrAdd(id, id);

    /// <summary>An order's listed row, read back from its state: the order without its routing explanation.</summary>
    private OrderView Listed(Stored stored) =>
        serializer.Deserialize<OrderState>(new BinaryData(stored.State))!.Order! with { Explanation = null };

    public Task<(int? Version, byte[]? State)> ReadAsync(string orderId) =>
        Task.FromResult<(int?, byte[]?)>(_orders.TryGetValue(orderId, out var stored) ? (stored.Version, stored.State) : (null, null));

    public Task<int?> WriteAsync(OrderRecord record, int? expectedVersion)
    {
        if (record.Fences is not { Count: > 0 } fences) return Task.FromResult(Write(record, expectedVersion));
        // Checked and written under the epochs' lock: a distributor's new epoch comes either before (this write fails)
        // or after (its rebuild sees this record).
        lock (_epochs)
        {
            var stale = fences.Where(f => _epochs.GetValueOrDefault(f.DistributorId) != f.Epoch).ToList();
            return stale.Count > 0
                ? Task.FromException<int?>(new ReservationsMovedException(record.Listed.OrderId, stale))
                : Task.FromResult(Write(record, expectedVersion));
        }
    }

    public Task<long> BeginEpochAsync(string distributorId)
    {
        lock (_epochs)
        {
            var epoch = _epochs.GetValueOrDefault(distributorId) + 1;
            _epochs[distributorId] = epoch;
            return Task.FromResult(epoch);
        }
    }

    public Task<IReadOnlyList<OrderView>> OrdersHoldingStockAtAsync(string distributorId) =>
        Task.FromResult<IReadOnlyList<OrderView>>(_holdingAt.TryGetValue(distributorId, out var ids)
            ? [.. ids.Keys.Select(id => _orders[id]).Where(o => OrderRules.HoldsStock(o.Status)).Select(Listed)]
            : []);

    private int? Write(OrderRecord record, int? expectedVersion)
    {
        var id = record.Listed.OrderId;
        if (expectedVersion is not { } expected)
        {
            var first = new Stored(record.Listed, record.State, 1, Intern);
            if (!_orders.TryAdd(id, first)) return null;
            Feed(ErpFeedRules.OrderChanges((OrderView?)null, record.Listed));
            _byCustomer.GetOrAdd(first.CustomerId, _ => new(StringComparer.Ordinal)).TryAdd(id, 0);
            CountUnits(null, first);
            IndexDeadlines(record);
            IndexHoldings(first);
            return 1;
        }
        if (!_orders.TryGetValue(id, out var current) || current.Version != expected) return null;
        var next = new Stored(record.Listed, record.State, expected + 1, Intern);
        if (!_orders.TryUpdate(id, next, current)) return null;
        Feed(ErpFeedRules.OrderChanges((current.Status, current.Payment), record.Listed));
        CountUnits(current, next);
        IndexDeadlines(record);
        IndexHoldings(next);
        return next.Version;
    }

    /// <summary>Keeps the order in the index of each distributor it allocates at while it holds stock (its status
    /// filters again on reading, so a stale entry is harmless).</summary>
    private void IndexHoldings(Stored order)
    {
        var holds = OrderRules.HoldsStock(order.Status);
        foreach (var distributorId in order.Distributors)
        {
            var ids = _holdingAt.GetOrAdd(distributorId, _ => new(StringComparer.Ordinal));
            if (holds) ids.TryAdd(order.OrderId, 0);
            else ids.TryRemove(order.OrderId, out _);
        }
    }

    private void IndexDeadlines(OrderRecord record)
    {
        if (record.DecisionDueAt is { } due) _decisionsDue[record.Listed.OrderId] = due;
        else _decisionsDue.TryRemove(record.Listed.OrderId, out _);

        if (record.Listed.CampaignId is not { } campaignId) return;
        var expiring = _expiring.GetOrAdd(campaignId, _ => new(StringComparer.Ordinal));
        if (record.PaymentExpiresAt is { } at) expiring[record.Listed.OrderId] = at;
        else expiring.TryRemove(record.Listed.OrderId, out _);
    }

    public Task<(IReadOnlyList<OrderGroup> Groups, IReadOnlyList<DistributorFigures> Distributors)> OrderAnalyticsAsync(AnalyticsQuery query)
    {
        var orders = _orders.Values
            .Where(o => o.PlacedAt >= query.From && o.PlacedAt < query.To && (query.CampaignId is null || o.CampaignId == query.CampaignId)
                && (query.DistributorId is null || o.Distributors.Contains(query.DistributorId)))
            .Select(Listed)
            .ToList();
        IReadOnlyList<OrderGroup> groups = [.. orders.Select(o => OrderGroup.Of(o, query.DistributorId, query.UtcOffsetMinutes))
            .GroupBy(g => (g.Status, g.Cause, g.Hour, g.Filled, g.AtHome))
            .Select(g => g.First() with { Orders = g.Sum(x => x.Orders), Ordered = g.Sum(x => x.Ordered), Allocated = g.Sum(x => x.Allocated) })];
        IReadOnlyList<DistributorFigures> distributors = [.. orders
            .Select(OrderFacts.Of)
            .SelectMany(f => f.Distributors.Select((d, i) => (DistributorId: d, Units: f.Units[i], Minutes: f.ConfirmMinutes[i])))
            .Where(a => query.DistributorId is null || a.DistributorId == query.DistributorId)
            .GroupBy(a => a.DistributorId, StringComparer.Ordinal)
            .Select(d => new DistributorFigures(d.Key, d.Count(), d.Sum(a => a.Units), OrderAnalytics.Median(d.Select(a => a.Minutes).OfType<double>())))];
        return Task.FromResult((groups, distributors));
    }

    public Task<IReadOnlyList<string>> ExpiringPaymentsAsync(string campaignId, DateTimeOffset asOf, int limit) =>
        Task.FromResult<IReadOnlyList<string>>(_expiring.TryGetValue(campaignId, out var expiring)
            ? [.. expiring.Where(e => e.Value <= asOf).OrderBy(e => e.Value).Take(limit).Select(e => e.Key)]
            : []);

    public Task<IReadOnlyList<string>> DecisionsDueAsync(DateTimeOffset asOf, int limit) =>
        Task.FromResult<IReadOnlyList<string>>([.. _decisionsDue.Where(e => e.Value <= asOf).OrderBy(e => e.Value).Take(limit).Select(e => e.Key)]);

    private void CountUnits(Stored? before, Stored after)
    {
        if (after.CampaignId is not { } campaignId) return;
        var delta = after.CampaignUnitsHeld - (before?.CampaignUnitsHeld ?? 0);
        if (delta != 0) _campaignUnits.AddOrUpdate(campaignId, delta, (_, units) => units + delta);
    }

    public Task<int> CampaignUnitsAsync(string campaignId) => Task.FromResult(_campaignUnits.GetValueOrDefault(campaignId));

    public Task<IReadOnlyList<CustomerOrder>> CustomerOrdersAsync(string customerId) =>
        Task.FromResult<IReadOnlyList<CustomerOrder>>(
            [.. Candidates(customerId).Select(o => new CustomerOrder(o.OrderId, o.CampaignId, o.Units, o.Status))]);

    /// <summary>One customer's orders through its index, or (no customer named) every order.</summary>
    private IEnumerable<Stored> Candidates(string? customerId) =>
        customerId is null ? _orders.Values
        : _byCustomer.TryGetValue(customerId, out var ids) ? ids.Keys.Select(id => _orders[id])
        : [];

    public Task<bool> AppendLedgerAsync(IReadOnlyList<LedgerMovement> movements)
    {
        foreach (var m in movements)
            if (_ledger.TryAdd((m.DistributorId, m.Seq), m) && ErpFeedRules.OfMovement(m) is { } change) Feed([change]);
        return Task.FromResult(true);
    }

    private void Feed(IEnumerable<ErpChange> changes)
    {
        lock (_feed) _feed.AddRange(changes);
    }

    public Task<IReadOnlyList<ErpEvent>> ReadAsync(ErpCursor after, int limit)
    {
        lock (_feed)
        {
            // Minor is the number of events before the next one; a cursor of another store (Major > 0) is past them all.
            var from = after.Major > 0 ? _feed.Count : (int)Math.Min(after.Minor, _feed.Count);
            return Task.FromResult<IReadOnlyList<ErpEvent>>(
                [.. _feed.GetRange(from, Math.Min(limit, _feed.Count - from)).Select((change, i) => change.WithCursor(new ErpCursor(0, from + i + 1)))]);
        }
    }

    public Task<IReadOnlyList<string>> CampaignOrderIdsAsync(string campaignId) =>
        Task.FromResult<IReadOnlyList<string>>(_orders.Values.Where(o => o.CampaignId == campaignId).Select(o => o.OrderId).ToList());

    public Task<HistoryPage<OrderView>> FindOrdersAsync(OrderSearch search)
    {
        var matches = Candidates(search.CustomerId).Where(o =>
                (search.CampaignId is null || o.CampaignId == search.CampaignId)
                && (search.CustomerId is null || o.CustomerId == search.CustomerId)
                && (search.DistributorId is null || o.Distributors.Contains(search.DistributorId))
                && (search.SalesManagerId is null || o.SalesManagerId == search.SalesManagerId)
                && (search.Status is null || o.Status == search.Status)
                && (search.Statuses is null || search.Statuses.Contains(o.Status))
                && (!search.PreOrdersOnly || o.PreOrder)
                && (search.From is null || o.PlacedAt >= search.From)
                && (search.To is null || o.PlacedAt < search.To))
            .ToList();
        matches = search.OldestFirst
            ? [.. matches.OrderBy(o => o.PlacedAt).ThenBy(o => o.OrderId, StringComparer.Ordinal)]
            : [.. matches.OrderByDescending(o => o.PlacedAt).ThenBy(o => o.OrderId, StringComparer.Ordinal)];
        // Only the page's rows are read back.
        return Task.FromResult(new HistoryPage<OrderView>(
            [.. PageOf(matches, search.Page, search.PageSize).Select(Listed)], matches.Count, search.Page, search.PageSize));
    }

    public Task<HistoryPage<LedgerMovement>> LedgerAsync(string distributorId, int page, int pageSize)
    {
        var rows = _ledger.Values.Where(m => m.DistributorId == distributorId).OrderByDescending(m => m.Seq).ToList();
        return Task.FromResult(new HistoryPage<LedgerMovement>(
            PageOf(rows, page, pageSize), rows.Count, page, pageSize));
    }

    public Task<IReadOnlyList<LedgerSummaryRow>> LedgerSummaryAsync(string distributorId, DateTimeOffset since, DateTimeOffset until)
    {
        var rows = _ledger.Values.Where(m => m.DistributorId == distributorId && m.At < until).OrderBy(m => m.Seq).ToList();
        static Dictionary<string, int> OnHandAfterLast(IEnumerable<LedgerMovement> movements) =>
            movements.GroupBy(m => m.Sku, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().OnHandAfter, StringComparer.Ordinal);
        return Task.FromResult(LedgerSummary.Of(OnHandAfterLast(rows.Where(m => m.At < since)), OnHandAfterLast(rows),
            LedgerSummary.Totals(rows.Where(m => m.At >= since))));
    }

    public Task<IReadOnlyDictionary<string, (long Seq, int OnHand)>> OnHandAtAsync(string distributorId, DateTimeOffset at) =>
        Task.FromResult<IReadOnlyDictionary<string, (long Seq, int OnHand)>>(_ledger.Values
            .Where(m => m.DistributorId == distributorId && m.At <= at)
            .GroupBy(m => m.Sku, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(m => m.Seq) is { } last ? (last.Seq, last.OnHandAfter) : default, StringComparer.Ordinal));

    public Task<IReadOnlyDictionary<string, LedgerMovement>> LedgerTailAsync(string distributorId, long afterSeq) =>
        Task.FromResult<IReadOnlyDictionary<string, LedgerMovement>>(_ledger.Values
            .Where(m => m.DistributorId == distributorId && m.Seq > afterSeq)
            .GroupBy(m => m.Sku, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(m => m.Seq)!, StringComparer.Ordinal));

    /// <summary>A page far past the end (page × size beyond an int) is empty, as in PostgreSQL, never page 1.</summary>
    private static List<T> PageOf<T>(List<T> rows, int page, int pageSize)
    {
        var offset = (long)(page - 1) * pageSize;
        return offset >= rows.Count ? [] : [.. rows.Skip((int)offset).Take(pageSize)];
    }
}
