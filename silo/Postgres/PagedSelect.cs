using Npgsql;
using Routing.Grains.History;

namespace Routing.Silo.Postgres;

/// <summary>A filtered, paged list query: the filters that are set become the <c>WHERE</c> clause, and the matches'
/// count and one page of them come back in one round trip.</summary>
internal sealed class PagedSelect(string table)
{
    private readonly List<string> _where = [];
    private readonly List<NpgsqlParameter> _parameters = [];

    /// <summary>Adds <paramref name="condition"/> with its parameter, unless <paramref name="value"/> is null (any).</summary>
    public PagedSelect Where(string condition, string name, object? value)
    {
        if (value is null) return this;
        _where.Add(condition);
        _parameters.Add(new NpgsqlParameter(name, value));
        return this;
    }

    /// <summary>Adds a condition without a parameter, when <paramref name="applies"/>.</summary>
    public PagedSelect Where(string condition, bool applies)
    {
        if (applies) _where.Add(condition);
        return this;
    }

    /// <summary>The count of every match and the page of <paramref name="columns"/> in <paramref name="orderBy"/>, each row
    /// read by <paramref name="read"/>.</summary>
    public async Task<HistoryPage<T>> RunAsync<T>(NpgsqlDataSource db, string columns, string orderBy, int page, int pageSize, Func<NpgsqlDataReader, T> read)
    {
        var clause = _where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", _where);
        await using var batch = db.CreateBatch();
        var count = new NpgsqlBatchCommand($"SELECT count(*) FROM {table} {clause}");
        var rows = new NpgsqlBatchCommand($"SELECT {columns} FROM {table} {clause} ORDER BY {orderBy} LIMIT @limit OFFSET @offset");
        foreach (var p in _parameters)
        {
            count.Parameters.Add(p.Clone());
            rows.Parameters.Add(p.Clone());
        }
        rows.Parameters.AddWithValue("limit", pageSize);
        rows.Parameters.AddWithValue("offset", (long)(page - 1) * pageSize);
        batch.BatchCommands.Add(count);
        batch.BatchCommands.Add(rows);

        await using var reader = await batch.ExecuteReaderAsync();
        await reader.ReadAsync();
        var total = reader.GetInt64(0);
        await reader.NextResultAsync();
        var items = new List<T>();
        while (await reader.ReadAsync()) items.Add(read(reader));
        return new HistoryPage<T>(items, total, page, pageSize);
    }
}
