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

    public Task<HistoryPage<string>> FindAsync(OperationSearch search) =>
        new PagedSelect("routing_stock_operations")
            .Where("kind = @kind", "kind", search.Kind)
            .Where("distributor_ids @> ARRAY[@distributor]::text[]", "distributor", search.DistributorId)
            .Where("order_id = @order", "order", search.OrderId)
            .Where("customer_id = @customer", "customer", search.CustomerId)
            .Where("status = @status", "status", search.Status)
            .RunAsync(db, "body::text", "created_at DESC, id", search.Page, search.PageSize, row => row.GetString(0));
}
