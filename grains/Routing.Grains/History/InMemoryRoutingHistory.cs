using System.Collections.Concurrent;
using Routing.Contracts.Orders;

namespace Routing.Grains.History;

/// <summary>History kept in this process, for the embedded single-process default (memory storage): lost on restart,
/// like everything else in that mode. Same semantics as the PostgreSQL store (idempotent, newest revision wins).</summary>
public sealed class InMemoryRoutingHistory : IRoutingHistory
{
    private readonly ConcurrentDictionary<string, (OrderView Order, int Revision)> _orders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, long), LedgerMovement> _ledger = new();

    public Task SaveOrderAsync(OrderView order, int revision)
    {
        _orders.AddOrUpdate(order.OrderId, (order, revision), (_, old) => old.Revision > revision ? old : (order, revision));
        return Task.CompletedTask;
    }

    public Task ForgetOrderAsync(string orderId, int revision)
    {
        if (_orders.TryGetValue(orderId, out var row) && row.Revision == revision) _orders.TryRemove(new(orderId, row));
        return Task.CompletedTask;
    }

    public Task<bool> AppendLedgerAsync(IReadOnlyList<LedgerMovement> movements)
    {
        foreach (var m in movements) _ledger.TryAdd((m.DistributorId, m.Seq), m);
        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<string>> CampaignOrderIdsAsync(string campaignId) =>
        Task.FromResult<IReadOnlyList<string>>(_orders.Values.Where(o => o.Order.CampaignId == campaignId).Select(o => o.Order.OrderId).ToList());

    public Task<HistoryPage<OrderView>> FindOrdersAsync(OrderSearch s)
    {
        var matches = _orders.Values.Select(o => o.Order).Where(o =>
                (s.CampaignId is null || o.CampaignId == s.CampaignId)
                && (s.CustomerId is null || o.CustomerId == s.CustomerId)
                && (s.DistributorId is null || o.Allocations.Any(a => a.DistributorId == s.DistributorId))
                && (s.Status is null || o.Status == s.Status)
                && (s.From is null || o.PlacedAt >= s.From)
                && (s.To is null || o.PlacedAt < s.To))
            .OrderByDescending(o => o.PlacedAt).ThenBy(o => o.OrderId, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(new HistoryPage<OrderView>(
            PageOf(matches, s.Page, s.PageSize), matches.Count, s.Page, s.PageSize));
    }

    public Task<HistoryPage<LedgerMovement>> LedgerAsync(string distributorId, int page, int pageSize)
    {
        var rows = _ledger.Values.Where(m => m.DistributorId == distributorId).OrderByDescending(m => m.Seq).ToList();
        return Task.FromResult(new HistoryPage<LedgerMovement>(
            PageOf(rows, page, pageSize), rows.Count, page, pageSize));
    }

    /// <summary>A page far past the end (page × size beyond an int) is empty, as in PostgreSQL, never page 1.</summary>
    private static List<T> PageOf<T>(List<T> rows, int page, int pageSize)
    {
        var offset = (long)(page - 1) * pageSize;
        return offset >= rows.Count ? [] : rows.Skip((int)offset).Take(pageSize).ToList();
    }
}
