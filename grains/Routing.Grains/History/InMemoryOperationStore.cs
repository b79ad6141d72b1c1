using System.Collections.Concurrent;

namespace Routing.Grains.History;

/// <summary>Stock operation records kept in this process (the embedded default): lost on restart like everything else
/// in that mode; the same version check as PostgreSQL.</summary>
public sealed class InMemoryOperationStore : IOperationStore
{
    private readonly ConcurrentDictionary<(string Kind, string Id), (int Version, OperationRecord Record)> _records = new();

    public Task<(int? Version, string? Body)> ReadAsync(string kind, string id) =>
        Task.FromResult<(int?, string?)>(_records.TryGetValue((kind, id), out var stored) ? (stored.Version, stored.Record.Body) : (null, null));

    public Task<int?> WriteAsync(OperationRecord record, int? expectedVersion)
    {
        var key = (record.Kind, record.Id);
        if (expectedVersion is not { } expected)
            return Task.FromResult<int?>(_records.TryAdd(key, (1, record)) ? 1 : null);
        if (!_records.TryGetValue(key, out var current) || current.Version != expected) return Task.FromResult<int?>(null);
        return Task.FromResult<int?>(_records.TryUpdate(key, (expected + 1, record), current) ? expected + 1 : null);
    }

    public Task<HistoryPage<string>> FindAsync(OperationSearch search)
    {
        var matches = _records.Values.Select(v => v.Record).Where(r => r.Kind == search.Kind
                && (search.DistributorId is null || r.DistributorIds.Contains(search.DistributorId))
                && (search.OrderId is null || r.OrderId == search.OrderId)
                && (search.CustomerId is null || r.CustomerId == search.CustomerId)
                && (search.Status is null || r.Status == search.Status))
            .OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
        var offset = (long)(search.Page - 1) * search.PageSize;
        var page = offset >= matches.Count ? [] : matches.Skip((int)offset).Take(search.PageSize).Select(r => r.Body).ToList();
        return Task.FromResult(new HistoryPage<string>(page, matches.Count, search.Page, search.PageSize));
    }
}
