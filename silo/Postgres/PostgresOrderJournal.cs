using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Domain.Rules;
using Routing.Grains.History;

namespace Routing.Silo.Postgres;

/// <summary>The order journal in PostgreSQL: one <c>routing_orders</c> row per order holds the order grain's whole state
/// (<c>state</c>, Orleans-serialized) and what the history lists and searches (the columns and <c>body</c>), written in
/// one statement. Group commit: every write of this process that arrives while a batch is in flight goes out with the
/// next one, in one transaction. Each write keeps its own version check (<c>version</c> is the state's ETag): a stale
/// one fails alone, and so does one PostgreSQL refuses for its data (<see cref="BatchQueue{T}"/> splits the batch).
/// A write is answered only after its batch committed. Activation reads are batched the same way.</summary>
public sealed partial class PostgresOrderJournal : IOrderJournal, IAsyncDisposable
{
    private const int MaxBatch = 1000;
    /// <summary>Batches in flight at once: one filling while another commits.</summary>
    private const int Lanes = 2;

    private readonly NpgsqlDataSource _db;
    private readonly ILogger _logger;
    private readonly BatchQueue<PendingWrite> _writes;
    private readonly BatchQueue<PendingRead> _reads;
    private readonly BatchQueue<PendingCustomer> _customers;

    /// <param name="db">The process's data source (its pool); owned by the caller.</param>
    public PostgresOrderJournal(NpgsqlDataSource db, ILogger<PostgresOrderJournal> logger)
    {
        _db = db;
        _logger = logger;
        _writes = new BatchQueue<PendingWrite>(Lanes, MaxBatch, WriteBatchAsync, Fail);
        _reads = new BatchQueue<PendingRead>(Lanes, MaxBatch, ReadBatchAsync, Fail);
        _customers = new BatchQueue<PendingCustomer>(Lanes, MaxBatch, CustomersBatchAsync, Fail);
    }

    public Task<(int? Version, byte[]? State)> ReadAsync(string orderId)
    {
        var read = new PendingRead(orderId);
        if (!_reads.TryAdd(read)) throw Closed();
        return read.Done.Task;
    }

    public Task<int?> WriteAsync(OrderRecord record, int? expectedVersion)
    {
        var write = new PendingWrite(record, expectedVersion);
        if (!_writes.TryAdd(write)) throw Closed();
        return write.Done.Task;
    }

    /// <summary>Batched like activation reads: a flash sale activates thousands of customers a second.</summary>
    public Task<IReadOnlyList<CustomerOrder>> CustomerOrdersAsync(string customerId)
    {
        var read = new PendingCustomer(customerId);
        if (!_customers.TryAdd(read)) throw Closed();
        return read.Done.Task;
    }

    public async Task<int> CampaignUnitsAsync(string campaignId)
    {
        // The campaign's count is the journal's: summed where the orders are (a lease or a campaign read, not per order).
        await using var command = _db.CreateCommand(
            "SELECT coalesce(sum(quantity), 0)::integer FROM routing_orders WHERE campaign_id = @campaign AND status <> ALL(@released)");
        command.Parameters.AddWithValue("campaign", campaignId);
        command.Parameters.Add(new NpgsqlParameter<string[]>("released", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            TypedValue = [.. Enum.GetValues<OrderStatus>().Where(s => !OrderRules.HoldsCampaignUnits(s)).Select(s => s.ToString())],
        });
        return (int)(await command.ExecuteScalarAsync())!;
    }

    public async Task<IReadOnlyList<string>> ExpiringPaymentsAsync(string campaignId, DateTimeOffset asOf, int limit)
    {
        await using var command = _db.CreateCommand("""
            SELECT order_id FROM routing_orders
             WHERE campaign_id = @campaign AND payment_expires_at <= @asOf
             ORDER BY payment_expires_at LIMIT @limit
            """);
        command.Parameters.AddWithValue("campaign", campaignId);
        command.Parameters.AddWithValue("asOf", asOf);
        command.Parameters.AddWithValue("limit", limit);
        return await OrderIdsAsync(command);
    }

    public async Task<IReadOnlyList<string>> DecisionsDueAsync(DateTimeOffset asOf, int limit)
    {
        await using var command = _db.CreateCommand("""
            SELECT order_id FROM routing_orders
             WHERE decision_due_at <= @asOf
             ORDER BY decision_due_at LIMIT @limit
            """);
        command.Parameters.AddWithValue("asOf", asOf);
        command.Parameters.AddWithValue("limit", limit);
        return await OrderIdsAsync(command);
    }

    /// <summary>The order ids a query of the deadline indexes answers, in its order.</summary>
    private static async Task<IReadOnlyList<string>> OrderIdsAsync(NpgsqlCommand command)
    {
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        // What was queued is written before the process ends.
        await _writes.CloseAsync();
        await _reads.CloseAsync();
        await _customers.CloseAsync();
    }

    /// <summary>One statement: updates of records at their expected version, inserts of new orders; what it returns is
    /// what was written. A write it did not touch conflicted.</summary>
    private async Task WriteBatchAsync(List<PendingWrite> batch)
    {
        // A batch split after a data error runs again: writes already answered stay answered.
        var open = batch.Where(w => !w.Done.Task.IsCompleted).ToList();
        // An order never has two writes in flight; if it did, the later one is a conflict, not a lost update.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unique = new List<PendingWrite>(open.Count);
        foreach (var write in open)
        {
            if (seen.Add(write.Record.Listed.OrderId)) unique.Add(write);
            else write.Done.TrySetResult(null);
        }
        if (unique.Count == 0) return;
        var rows = unique.Select((w, ord) =>
        {
            var o = w.Record.Listed;
            var facts = OrderFacts.Of(o);
            return new
            {
                order_id = o.OrderId,
                customer_id = o.CustomerId,
                campaign_id = o.CampaignId,
                status = o.Status.ToString(),
                distributor_ids = facts.Distributors,
                quantity = facts.Ordered,
                allocated_units = facts.Allocated,
                at_home = facts.AtHome,
                cause = facts.Cause,
                distributor_units = facts.Units,
                confirm_minutes = facts.ConfirmMinutes,
                unit_price = o.UnitPrice,
                placed_at = o.PlacedAt,
                updated_at = o.UpdatedAt,
                revision = w.Record.Revision,
                payment_expires_at = w.Record.PaymentExpiresAt,
                decision_due_at = w.Record.DecisionDueAt,
                preorder = o.PreOrder,
                sales_manager_id = o.SalesManagerId,
                body = o,
                state = w.Record.State,
                expected = w.Expected,
                ord,
                feed = PostgresErpFeed.Candidates(o),
                fences = w.Record.Fences?.Select(f => new { d = f.DistributorId, e = f.Epoch }),
            };
        }).ToList();

        // sales_manager_id is written once, by the insert: an order keeps the sales manager it was placed under.
        // The ERP feed's events are written by the same statement, for the records it wrote only: each of a write's
        // candidates when the record it replaced (read by `old`, in the statement's snapshot: the version the write
        // expected, since a writer learns a version only once it committed) had another status or payment status.
        await using var command = _db.CreateCommand("""
            WITH r AS (
                SELECT * FROM jsonb_to_recordset(@rows) AS r(order_id text, customer_id text, campaign_id text, status text,
                       distributor_ids text[], quantity integer, unit_price numeric, placed_at timestamptz, updated_at timestamptz,
                       revision integer, payment_expires_at timestamptz, decision_due_at timestamptz, preorder boolean, sales_manager_id text,
                       body jsonb, state text, expected integer, ord integer, feed jsonb, allocated_units integer, at_home boolean,
                       cause text, distributor_units integer[], confirm_minutes double precision[], fences jsonb)),
            fence AS (
                SELECT r.order_id, f->>'d' AS distributor_id, (f->>'e')::bigint AS epoch
                  FROM r CROSS JOIN LATERAL jsonb_array_elements(coalesce(r.fences, '[]'::jsonb)) AS f),
            epochs AS (
                SELECT e.distributor_id, e.epoch FROM routing_distributor_epochs e
                 WHERE e.distributor_id IN (SELECT distributor_id FROM fence)
                 ORDER BY e.distributor_id FOR SHARE),
            stale AS (
                SELECT fence.order_id, array_agg(fence.distributor_id) AS distributor_ids
                  FROM fence LEFT JOIN epochs USING (distributor_id)
                 WHERE epochs.epoch IS DISTINCT FROM fence.epoch
                 GROUP BY fence.order_id),
            old AS (
                SELECT o.order_id, o.status, o.body->'payment'->>'status' AS payment_status
                  FROM routing_orders o JOIN r ON r.order_id = o.order_id AND r.expected IS NOT NULL),
            updated AS (
                UPDATE routing_orders o
                   SET status = r.status, distributor_ids = r.distributor_ids, quantity = r.quantity, unit_price = r.unit_price,
                       updated_at = r.updated_at, revision = r.revision, payment_expires_at = r.payment_expires_at,
                       decision_due_at = r.decision_due_at, body = r.body, allocated_units = r.allocated_units, at_home = r.at_home,
                       cause = r.cause, distributor_units = r.distributor_units, confirm_minutes = r.confirm_minutes,
                       state = decode(r.state, 'base64'),
                       version = o.version + 1
                  FROM r
                 WHERE r.expected IS NOT NULL AND o.order_id = r.order_id AND o.version = r.expected
                   AND r.order_id NOT IN (SELECT order_id FROM stale)
                RETURNING o.order_id, o.version),
            inserted AS (
                INSERT INTO routing_orders (order_id, customer_id, campaign_id, status, distributor_ids, quantity, unit_price,
                                            placed_at, updated_at, revision, payment_expires_at, decision_due_at, preorder,
                                            sales_manager_id, body, state, version, allocated_units, at_home, cause, distributor_units,
                                            confirm_minutes)
                SELECT order_id, customer_id, campaign_id, status, distributor_ids, quantity, unit_price, placed_at, updated_at,
                       revision, payment_expires_at, decision_due_at, preorder, sales_manager_id, body, decode(state, 'base64'), 1,
                       allocated_units, at_home, cause, distributor_units, confirm_minutes
                  FROM r WHERE r.expected IS NULL AND r.order_id NOT IN (SELECT order_id FROM stale)
                ON CONFLICT (order_id) DO NOTHING
                RETURNING order_id, version),
            written AS (SELECT order_id, version FROM updated UNION ALL SELECT order_id, version FROM inserted),
            fed AS (
                INSERT INTO routing_erp_events (key, type, at, body)
                SELECT 'order:' || w.order_id || ':' || w.version || ':' || (f.e->>'type'), f.e->>'type', r.updated_at, f.e->'body'
                  FROM written w
                  JOIN r ON r.order_id = w.order_id
                  LEFT JOIN old ON old.order_id = w.order_id
                 CROSS JOIN LATERAL jsonb_array_elements(r.feed) WITH ORDINALITY AS f(e, i)
                 WHERE CASE f.e->>'watch' WHEN 'Status' THEN old.status IS DISTINCT FROM f.e->>'value'
                                          ELSE old.payment_status IS DISTINCT FROM f.e->>'value' END
                 ORDER BY r.ord, f.i
                ON CONFLICT (key) DO NOTHING)
            SELECT order_id, version, NULL::text[] FROM written
            UNION ALL SELECT order_id, 0, distributor_ids FROM stale
            """);
        // byte[] serializes as base64 in JSON, which decode(…, 'base64') reads back.
        command.Parameters.Add(new NpgsqlParameter("rows", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(rows, PostgresRoutingHistory.Json) });
        var versions = new Dictionary<string, int>(StringComparer.Ordinal);
        var moved = new Dictionary<string, string[]>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                if (reader.IsDBNull(2)) versions[reader.GetString(0)] = reader.GetInt32(1);
                else moved[reader.GetString(0)] = reader.GetFieldValue<string[]>(2);
            }
        }
        foreach (var write in unique)
        {
            var id = write.Record.Listed.OrderId;
            if (moved.TryGetValue(id, out var stale))
                write.Done.TrySetException(new ReservationsMovedException(id, [.. write.Record.Fences!.Where(f => stale.Contains(f.DistributorId))]));
            else write.Done.TrySetResult(versions.TryGetValue(id, out var version) ? version : null);
        }
    }

    public async Task<long> BeginEpochAsync(string distributorId)
    {
        // Waits for every write holding the distributor's row (FOR SHARE) to finish, so a read after this sees them.
        await using var command = _db.CreateCommand("""
            INSERT INTO routing_distributor_epochs AS e (distributor_id, epoch) VALUES (@d, 1)
            ON CONFLICT (distributor_id) DO UPDATE SET epoch = e.epoch + 1
            RETURNING epoch
            """);
        command.Parameters.AddWithValue("d", distributorId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The statuses of orders that hold stock, as SQL (the same list as the partial index
    /// <c>ix_routing_orders_holding</c> of migration 0014, so the planner uses it).</summary>
    public static readonly string HoldingStatuses =
        string.Join(", ", Enum.GetValues<OrderStatus>().Where(OrderRules.HoldsStock).Select(s => $"'{s}'"));

    public async Task<IReadOnlyList<OrderView>> OrdersHoldingStockAtAsync(string distributorId)
    {
        await using var command = _db.CreateCommand(
            $"SELECT body::text FROM routing_orders WHERE distributor_ids @> ARRAY[@d]::text[] AND status IN ({HoldingStatuses})");
        command.Parameters.AddWithValue("d", distributorId);
        var orders = new List<OrderView>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) orders.Add(JsonSerializer.Deserialize<OrderView>(reader.GetString(0), PostgresRoutingHistory.Json)!);
        return orders;
    }

    private async Task ReadBatchAsync(List<PendingRead> batch)
    {
        var open = batch.Where(r => !r.Done.Task.IsCompleted).ToList();
        if (open.Count == 0) return;
        await using var command = _db.CreateCommand("SELECT order_id, version, state FROM routing_orders WHERE order_id = ANY(@ids) AND state IS NOT NULL");
        command.Parameters.Add(new NpgsqlParameter<string[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. open.Select(r => r.OrderId).Distinct()] });
        var rows = new Dictionary<string, (int, byte[])>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) rows[reader.GetString(0)] = (reader.GetInt32(1), reader.GetFieldValue<byte[]>(2));
        }
        foreach (var read in open)
            read.Done.TrySetResult(rows.TryGetValue(read.OrderId, out var row) ? (row.Item1, row.Item2) : (null, null));
    }

    private async Task CustomersBatchAsync(List<PendingCustomer> batch)
    {
        var open = batch.Where(r => !r.Done.Task.IsCompleted).ToList();
        if (open.Count == 0) return;
        await using var command = _db.CreateCommand(
            "SELECT customer_id, order_id, campaign_id, quantity, status FROM routing_orders WHERE customer_id = ANY(@ids)");
        command.Parameters.Add(new NpgsqlParameter<string[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. open.Select(r => r.CustomerId).Distinct()] });
        var orders = new Dictionary<string, List<CustomerOrder>>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var customer = reader.GetString(0);
                if (!orders.TryGetValue(customer, out var list)) orders[customer] = list = [];
                list.Add(new CustomerOrder(reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt32(3),
                    Enum.Parse<OrderStatus>(reader.GetString(4))));
            }
        }
        foreach (var read in open) read.Done.TrySetResult(orders.TryGetValue(read.CustomerId, out var list) ? list : []);
    }

    private void Fail(List<PendingWrite> batch, Exception e)
    {
        LogWritesFailed(_logger, e, batch.Count);
        foreach (var write in batch) write.Done.TrySetException(e);
    }

    private void Fail(List<PendingRead> batch, Exception e)
    {
        LogReadsFailed(_logger, e, batch.Count);
        foreach (var read in batch) read.Done.TrySetException(e);
    }

    private void Fail(List<PendingCustomer> batch, Exception e)
    {
        LogCustomerReadsFailed(_logger, e, batch.Count);
        foreach (var read in batch) read.Done.TrySetException(e);
    }

    private static ObjectDisposedException Closed() => new(nameof(PostgresOrderJournal), "the silo is shutting down");

    private sealed class PendingWrite(OrderRecord record, int? expected)
    {
        public OrderRecord Record { get; } = record;
        public int? Expected { get; } = expected;
        /// <summary>The record's new version, or null when the write conflicted.</summary>
        public TaskCompletionSource<int?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class PendingRead(string orderId)
    {
        public string OrderId { get; } = orderId;
        public TaskCompletionSource<(int? Version, byte[]? State)> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class PendingCustomer(string customerId)
    {
        public string CustomerId { get; } = customerId;
        public TaskCompletionSource<IReadOnlyList<CustomerOrder>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} orders to the journal failed; their grains are told so and leave them unacknowledged")]
    private static partial void LogWritesFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading {Count} orders from the journal failed")]
    private static partial void LogReadsFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading {Count} customers' orders from the journal failed")]
    private static partial void LogCustomerReadsFailed(ILogger logger, Exception exception, int count);
}
