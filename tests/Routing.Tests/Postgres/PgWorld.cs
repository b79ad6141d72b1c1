using System.Text.Json;
using Npgsql;
using Routing.Contracts.Orders;
using Routing.Silo.Postgres;

namespace Routing.Tests.Postgres;

/// <summary>A test's world on PostgreSQL (<see cref="GrainWorld"/>), plus readers of what the database holds.</summary>
internal sealed class PgWorld(PostgresCluster cluster, string db) : GrainWorld(cluster)
{
    public string Db { get; } = db;

    /// <summary>Distributors with the same stock each, and customers without a home distributor.</summary>
    public async Task SetUpAsync(int distributors, int onHandEach, int customers)
    {
        for (var i = 0; i < distributors; i++) await DistributorAsync(onHandEach);
        await CustomersAsync(customers);
    }

    /// <summary>Every order row of the history: id → (status, allocations as stored).</summary>
    public async Task<Dictionary<string, OrderView>> OrderRowsAsync()
    {
        var rows = new Dictionary<string, OrderView>();
        await using var connection = new NpgsqlConnection(Db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT order_id, body FROM routing_orders", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(reader.GetString(0), JsonSerializer.Deserialize<OrderView>(reader.GetString(1), PostgresRoutingHistory.Json)!);
        return rows;
    }

    /// <summary>Per distributor: the ledger's sums and its last row, and whether its sequence has no gaps.</summary>
    public async Task<Dictionary<string, LedgerSums>> LedgerAsync()
    {
        var sums = new Dictionary<string, LedgerSums>();
        await using var connection = new NpgsqlConnection(Db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT distributor_id,
                   coalesce(sum(quantity) FILTER (WHERE kind IN ('receive', 'adjust', 'ship', 'return', 'writeOff', 'transferOut', 'transferIn', 'erpAdjust')), 0)::int AS on_hand,
                   coalesce(sum(quantity) FILTER (WHERE kind IN ('reserve', 'release', 'ship', 'transferOut')), 0)::int AS reserved,
                   count(*) AS rows, max(seq) AS last_seq,
                   (array_agg(on_hand_after ORDER BY seq DESC))[1] AS last_on_hand,
                   (array_agg(reserved_after ORDER BY seq DESC))[1] AS last_reserved,
                   bool_and(on_hand_after >= reserved_after AND reserved_after >= 0) AS never_oversold,
                   count(*) FILTER (WHERE prev_on_hand IS NOT NULL AND (prev_on_hand <> on_hand_before OR prev_reserved <> reserved_before)) AS breaks
              FROM (SELECT *, lag(on_hand_after) OVER w AS prev_on_hand, lag(reserved_after) OVER w AS prev_reserved
                      FROM routing_inventory_ledger WHERE sku = @sku WINDOW w AS (PARTITION BY distributor_id ORDER BY seq)) l
             GROUP BY distributor_id
            """, connection);
        command.Parameters.AddWithValue("sku", Sku);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            sums[reader.GetString(0)] = new LedgerSums(reader.GetInt32(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetInt32(5), reader.GetInt32(6), reader.GetBoolean(7), reader.GetInt64(8));
        return sums;
    }
}

/// <summary>A distributor's ledger for one SKU: on hand = received ± adjusted − shipped; reserved = reserved − released − shipped.</summary>
internal sealed record LedgerSums(int OnHand, int Reserved, long Rows, long LastSeq, int LastOnHand, int LastReserved, bool NeverOversold, long ChainBreaks);
