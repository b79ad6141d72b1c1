using Npgsql;
using NpgsqlTypes;
using Routing.Grains.History;

namespace Routing.Silo.Postgres;

/// <summary>Stock operation records in PostgreSQL (<c>routing_stock_operations</c>): one row per transfer or return, its
/// version checked on every write. Operations are made by hand (ops, distributors, customers), a few a second at most,
/// so each write is its own statement.</summary>
public sealed class PostgresOperationStore(NpgsqlDataSource db) : IOperationStore
{
    public async Task<(int? Version, string? Body)> ReadAsync(string kind, string id)
    {
        await using var command = db.CreateCommand("SELECT version, body::text FROM routing_stock_operations WHERE kind = @kind AND id = @id");
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetInt32(0), reader.GetString(1)) : (null, null);
    }

    public async Task<int?> WriteAsync(OperationRecord record, int? expectedVersion)
    {
        await using var command = db.CreateCommand(expectedVersion is null
            ? """
              INSERT INTO routing_stock_operations (kind, id, version, status, distributor_ids, order_id, customer_id, created_at, body)
              VALUES (@kind, @id, 1, @status, @distributors, @order, @customer, @created, @body)
              ON CONFLICT (kind, id) DO NOTHING
              """
            : """
              UPDATE routing_stock_operations
                 SET version = version + 1, status = @status, distributor_ids = @distributors, order_id = @order,
                     customer_id = @customer, body = @body
               WHERE kind = @kind AND id = @id AND version = @expected
              """);
        command.Parameters.AddWithValue("kind", record.Kind);
        command.Parameters.AddWithValue("id", record.Id);
        command.Parameters.AddWithValue("status", record.Status);
        command.Parameters.AddWithValue("distributors", record.DistributorIds.ToArray());
        command.Parameters.AddWithValue("order", (object?)record.OrderId ?? DBNull.Value);
        command.Parameters.AddWithValue("customer", (object?)record.CustomerId ?? DBNull.Value);
        command.Parameters.AddWithValue("created", record.CreatedAt);
        command.Parameters.Add(new NpgsqlParameter("body", NpgsqlDbType.Jsonb) { Value = record.Body });
        command.Parameters.AddWithValue("expected", expectedVersion ?? 0);
        return await command.ExecuteNonQueryAsync() == 1 ? (expectedVersion ?? 0) + 1 : null;
    }

    public async Task<HistoryPage<string>> FindAsync(OperationSearch search)
    {
        var where = new List<string> { "kind = @kind" };
        var parameters = new List<NpgsqlParameter> { new("kind", search.Kind) };
        void Filter(string condition, string name, object? value)
        {
            if (value is null) return;
            where.Add(condition);
            parameters.Add(new NpgsqlParameter(name, value));
        }
        Filter("distributor_ids @> ARRAY[@distributor]::text[]", "distributor", search.DistributorId);
        Filter("order_id = @order", "order", search.OrderId);
        Filter("customer_id = @customer", "customer", search.CustomerId);
        Filter("status = @status", "status", search.Status);
        var clause = "WHERE " + string.Join(" AND ", where);

        await using var batch = db.CreateBatch();
        var count = new NpgsqlBatchCommand($"SELECT count(*) FROM routing_stock_operations {clause}");
        var rows = new NpgsqlBatchCommand($"SELECT body::text FROM routing_stock_operations {clause} ORDER BY created_at DESC, id LIMIT @limit OFFSET @offset");
        foreach (var p in parameters)
        {
            count.Parameters.Add(p.Clone());
            rows.Parameters.Add(p.Clone());
        }
        rows.Parameters.AddWithValue("limit", search.PageSize);
        rows.Parameters.AddWithValue("offset", (long)(search.Page - 1) * search.PageSize);
        batch.BatchCommands.Add(count);
        batch.BatchCommands.Add(rows);
        await using var reader = await batch.ExecuteReaderAsync();
        await reader.ReadAsync();
        var total = reader.GetInt64(0);
        await reader.NextResultAsync();
        var bodies = new List<string>();
        while (await reader.ReadAsync()) bodies.Add(reader.GetString(0));
        return new HistoryPage<string>(bodies, total, search.Page, search.PageSize);
    }
}
