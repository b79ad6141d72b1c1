using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Routing.Contracts.Orders;
using Routing.Grains.History;

namespace Routing.Silo.Postgres;

/// <summary>History in PostgreSQL, read and written with Npgsql. The orders are the order journal's records
/// (<see cref="PostgresOrderJournal"/> writes them); this class lists them and appends the inventory ledger. Ledger
/// movements from every distributor grain of this process queue up and go out together (group commit), keyed by
/// distributor and movement number, so retries never double them. An append PostgreSQL refuses for its data fails
/// alone: <see cref="BatchQueue{T}"/> splits its batch, and every other append of it commits.</summary>
public sealed partial class PostgresRoutingHistory : IRoutingHistory, IAsyncDisposable
{
    /// <summary>Most writes one round trip carries.</summary>
    private const int MaxBatch = 2000;
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1)];

    /// <summary>How an order is stored in its journal record's <c>body</c> (and read back): the API's JSON shape.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly NpgsqlDataSource _db;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly BatchQueue<Write> _queue;

    /// <param name="db">The process's data source (its pool); owned by the caller.</param>
    /// <param name="logger">Where failed writes are reported.</param>
    /// <param name="clock">What the retries wait on (the system clock unless given).</param>
    public PostgresRoutingHistory(NpgsqlDataSource db, ILogger<PostgresRoutingHistory> logger, TimeProvider? clock = null)
    {
        _db = db;
        _logger = logger;
        _clock = clock ?? TimeProvider.System;
        // One batch at a time: two batches never contend for the same rows.
        _queue = new BatchQueue<Write>(lanes: 1, MaxBatch, WriteBatchAsync, Fail);
    }

    public Task<bool> AppendLedgerAsync(IReadOnlyList<LedgerMovement> movements)
    {
        var write = new Write(movements);
        return _queue.TryAdd(write) ? write.Done.Task : Task.FromResult(false);
    }

    public async Task<IReadOnlyList<string>> CampaignOrderIdsAsync(string campaignId)
    {
        await using var command = _db.CreateCommand("SELECT order_id FROM routing_orders WHERE campaign_id = @campaign");
        command.Parameters.AddWithValue("campaign", campaignId);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }

    public Task<HistoryPage<OrderView>> FindOrdersAsync(OrderSearch search) =>
        new PagedSelect("routing_orders")
            .Where("campaign_id = @campaign", "campaign", search.CampaignId)
            .Where("customer_id = @customer", "customer", search.CustomerId)
            .Where("distributor_ids @> ARRAY[@distributor]::text[]", "distributor", search.DistributorId)
            .Where("sales_manager_id = @salesManager", "salesManager", search.SalesManagerId)
            .Where("status = @status", "status", search.Status?.ToString())
            .Where("status = ANY(@statuses)", "statuses", search.Statuses?.Select(s => s.ToString()).ToArray())
            .Where("preorder", search.PreOrdersOnly)
            .Where("placed_at >= @from", "from", search.From)
            .Where("placed_at < @to", "to", search.To)
            .RunAsync(_db, "body::text", $"placed_at {(search.OldestFirst ? "ASC" : "DESC")}, order_id", search.Page, search.PageSize,
                row => JsonSerializer.Deserialize<OrderView>(row.GetString(0), Json)!);

    private const string MovementColumns = "seq, kind, sku, quantity, on_hand_before, on_hand_after, reserved_before, reserved_after, order_id, cause, at";

    private static LedgerMovement Movement(string distributorId, NpgsqlDataReader row) =>
        new(distributorId, row.GetInt64(0), Enum.Parse<MovementKind>(row.GetString(1), ignoreCase: true),
            row.GetString(2), row.GetInt32(3), row.GetInt32(4), row.GetInt32(5), row.GetInt32(6), row.GetInt32(7),
            row.IsDBNull(8) ? null : row.GetString(8), row.GetString(9), row.GetFieldValue<DateTimeOffset>(10));

    public Task<HistoryPage<LedgerMovement>> LedgerAsync(string distributorId, int page, int pageSize) =>
        new PagedSelect("routing_inventory_ledger")
            .Where("distributor_id = @d", "d", distributorId)
            .RunAsync(_db, MovementColumns, "seq DESC", page, pageSize, row => Movement(distributorId, row));

    public async Task<IReadOnlyDictionary<string, LedgerMovement>> LedgerTailAsync(string distributorId, long afterSeq)
    {
        // A range of the primary key: only what was appended since the distributor's last saved state.
        await using var command = _db.CreateCommand($"""
            SELECT DISTINCT ON (sku) {MovementColumns} FROM routing_inventory_ledger
             WHERE distributor_id = @d AND seq > @after ORDER BY sku, seq DESC
            """);
        command.Parameters.AddWithValue("d", distributorId);
        command.Parameters.AddWithValue("after", afterSeq);
        var last = new Dictionary<string, LedgerMovement>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var movement = Movement(distributorId, reader);
            last[movement.Sku] = movement;
        }
        return last;
    }

    public async Task<IReadOnlyList<LedgerSummaryRow>> LedgerSummaryAsync(string distributorId, DateTimeOffset since, DateTimeOffset until)
    {
        // On hand after each SKU's last movement before the period and before its end; the period's movements summed per
        // SKU and kind. Summed here, so a month of a busy distributor's movements is a few rows on the wire.
        await using var batch = _db.CreateBatch();
        void Command(string sql)
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.AddWithValue("d", distributorId);
            command.Parameters.AddWithValue("from", since);
            command.Parameters.AddWithValue("to", until);
            batch.BatchCommands.Add(command);
        }
        const string lastBefore = """
            SELECT DISTINCT ON (sku) sku, on_hand_after FROM routing_inventory_ledger
             WHERE distributor_id = @d AND at < @{0} ORDER BY sku, seq DESC
            """;
        Command(string.Format(CultureInfo.InvariantCulture, lastBefore, "from"));
        Command(string.Format(CultureInfo.InvariantCulture, lastBefore, "to"));
        Command("""
            SELECT sku, kind, sum(greatest(on_hand_after - on_hand_before, 0)), sum(greatest(on_hand_before - on_hand_after, 0)),
                   sum(greatest(reserved_after - reserved_before, 0)), sum(greatest(reserved_before - reserved_after, 0))
              FROM routing_inventory_ledger WHERE distributor_id = @d AND at >= @from AND at < @to GROUP BY sku, kind
            """);

        await using var reader = await batch.ExecuteReaderAsync();
        async Task<Dictionary<string, int>> OnHandAsync()
        {
            var onHand = new Dictionary<string, int>(StringComparer.Ordinal);
            while (await reader.ReadAsync()) onHand[reader.GetString(0)] = reader.GetInt32(1);
            await reader.NextResultAsync();
            return onHand;
        }
        var opening = await OnHandAsync();
        var closing = await OnHandAsync();
        var totals = new List<LedgerTotals>();
        while (await reader.ReadAsync())
            totals.Add(new LedgerTotals(reader.GetString(0), Enum.Parse<MovementKind>(reader.GetString(1), ignoreCase: true),
                reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
        return LedgerSummary.Of(opening, closing, totals);
    }

    public async Task<IReadOnlyDictionary<string, (long Seq, int OnHand)>> OnHandAtAsync(string distributorId, DateTimeOffset at)
    {
        await using var command = _db.CreateCommand("""
            SELECT DISTINCT ON (sku) sku, seq, on_hand_after FROM routing_inventory_ledger
             WHERE distributor_id = @d AND at <= @at ORDER BY sku, seq DESC
            """);
        command.Parameters.AddWithValue("d", distributorId);
        command.Parameters.AddWithValue("at", at);
        var onHand = new Dictionary<string, (long Seq, int OnHand)>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) onHand[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt32(2));
        return onHand;
    }

    // What was queued is written before the process ends.
    public async ValueTask DisposeAsync() => await _queue.CloseAsync();

    /// <summary>Writes a batch, retrying what may be transient (the connection, the server). A batch refused for its data
    /// is not retried: it goes back to the queue at once, which splits it so only the bad writes fail.</summary>
    private async Task WriteBatchAsync(List<Write> batch)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await WriteAsync(batch);
                Complete(batch, written: true);
                return;
            }
            catch (Exception e) when (attempt < RetryDelays.Length && !BatchQueue.IsRefusedForData(e))
            {
                LogWriteRetrying(_logger, e, batch.Count, attempt + 1);
                await Task.Delay(RetryDelays[attempt], _clock);
            }
        }
    }

    private void Fail(List<Write> batch, Exception e)
    {
        LogWriteGivenUp(_logger, e, batch.Count);
        Complete(batch, written: false);
    }

    private static void Complete(List<Write> batch, bool written)
    {
        foreach (var write in batch) write.Done.TrySetResult(written);
    }

    private async Task WriteAsync(List<Write> batch)
    {
        var movements = batch.SelectMany(w => w.Movements)
            .Select((m, ord) => new
            {
                distributor_id = m.DistributorId,
                seq = m.Seq,
                kind = JsonNamingPolicy.CamelCase.ConvertName(m.Kind.ToString()),
                sku = m.Sku,
                quantity = m.Quantity,
                on_hand_before = m.OnHandBefore,
                on_hand_after = m.OnHandAfter,
                reserved_before = m.ReservedBefore,
                reserved_after = m.ReservedAfter,
                order_id = m.OrderId,
                cause = m.Cause,
                at = m.At,
                ord,
                feed = PostgresErpFeed.Candidate(m),
            }).ToList();

        await using var command = _db.CreateBatch();
        if (movements.Count > 0)
        {
            // The ERP feed's event of a movement is written with it, and only when its row is new: an append sent again
            // (the distributor's outbox retries until it hears back) emits nothing twice.
            var append = new NpgsqlBatchCommand("""
                WITH r AS (
                    SELECT * FROM jsonb_to_recordset(@rows) AS r(distributor_id text, seq bigint, kind text, sku text, quantity integer,
                           on_hand_before integer, on_hand_after integer, reserved_before integer, reserved_after integer, order_id text,
                           cause text, at timestamptz, ord integer, feed jsonb)),
                appended AS (
                    INSERT INTO routing_inventory_ledger (distributor_id, seq, kind, sku, quantity, on_hand_before, on_hand_after,
                                                          reserved_before, reserved_after, order_id, cause, at)
                    SELECT distributor_id, seq, kind, sku, quantity, on_hand_before, on_hand_after, reserved_before, reserved_after,
                           order_id, cause, at
                      FROM r
                    ON CONFLICT (distributor_id, seq) DO NOTHING
                    RETURNING distributor_id, seq)
                INSERT INTO routing_erp_events (key, type, at, body)
                SELECT 'ledger:' || a.distributor_id || ':' || a.seq, r.feed->>'type', r.at, r.feed->'body'
                  FROM appended a JOIN r ON r.distributor_id = a.distributor_id AND r.seq = a.seq
                 WHERE r.feed->>'type' IS NOT NULL
                 ORDER BY r.ord
                ON CONFLICT (key) DO NOTHING
                """);
            append.Parameters.Add(new NpgsqlParameter("rows", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(movements, Json) });
            command.BatchCommands.Add(append);
        }
        await command.ExecuteNonQueryAsync();
    }

    private sealed class Write(IReadOnlyList<LedgerMovement> movements)
    {
        public IReadOnlyList<LedgerMovement> Movements { get; } = movements;
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} history rows failed (attempt {Attempt}); retrying")]
    private static partial void LogWriteRetrying(ILogger logger, Exception exception, int count, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} history rows failed; giving up on them (callers keep or retry them)")]
    private static partial void LogWriteGivenUp(ILogger logger, Exception exception, int count);
}
