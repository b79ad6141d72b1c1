using System.Globalization;
using System.Text.Json;
using Npgsql;
using Routing.Grains.History;

namespace Routing.Silo.Postgres;

/// <summary>The ERP feed in PostgreSQL (<c>routing_erp_events</c>, 0012): events are written by the statements that make
/// their changes (<see cref="PostgresOrderJournal"/>'s record writes, <see cref="PostgresRoutingHistory"/>'s ledger
/// appends) and read here in (txid, n) order, the writing transaction's id and the order within it. A page holds only
/// events of transactions below the reader's snapshot xmin, all of which have finished, so no event can ever commit
/// before one already served: a cursor is (txid, n), and the same cursor always answers the same events.</summary>
public sealed class PostgresErpFeed(NpgsqlDataSource db) : IErpFeed
{
    public async Task<IReadOnlyList<ErpEvent>> ReadAsync(ErpCursor after, int limit)
    {
        await using var command = db.CreateCommand("""
            SELECT txid::text, n, body::text FROM routing_erp_events
             WHERE (txid, n) > (@txid::xid8, @n) AND txid < pg_snapshot_xmin(pg_current_snapshot())
             ORDER BY txid, n LIMIT @limit
            """);
        command.Parameters.AddWithValue("txid", after.Major.ToString(CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("n", after.Minor);
        command.Parameters.AddWithValue("limit", limit);
        var events = new List<ErpEvent>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var cursor = new ErpCursor(long.Parse(reader.GetString(0), CultureInfo.InvariantCulture), reader.GetInt64(1));
            events.Add(JsonSerializer.Deserialize<ErpChange>(reader.GetString(2), PostgresRoutingHistory.Json)!.WithCursor(cursor));
        }
        return events;
    }

    /// <summary>An order write's candidate events as its row carries them into the journal's statement, which emits one
    /// when the record it replaces had another <c>watch</c>ed value (<see cref="ErpOrderCandidate"/>).</summary>
    internal static object[] Candidates(Routing.Contracts.Orders.OrderView order) =>
        [.. ErpFeedRules.Candidates(order).Select(c => new { watch = c.Watch.ToString(), value = c.Value, type = c.Change.Type, body = c.Change })];

    /// <summary>A ledger movement's event as its row carries it into the append, or null when it emits none.</summary>
    internal static object? Candidate(LedgerMovement movement) =>
        ErpFeedRules.OfMovement(movement) is { } change ? new { type = change.Type, body = change } : null;
}
