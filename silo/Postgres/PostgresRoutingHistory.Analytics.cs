using Npgsql;
using NpgsqlTypes;
using Routing.Domain;
using Routing.Grains.History;

namespace Routing.Silo.Postgres;

/// <summary>Order analytics over the journal's rows (<c>routing_orders</c>): grouped in PostgreSQL over the columns the
/// journal writes with each record (<see cref="OrderFacts"/>, migration 0013), so a period of a million orders comes back
/// as a few hundred groups without a body parsed; what they add up to is <see cref="OrderAnalytics.Of"/>'s. The period is
/// an index-only scan of <c>ix_routing_orders_placed</c>, which covers those columns; a campaign is read through its
/// index, a distributor through the GIN index on <c>distributor_ids</c>.</summary>
public sealed partial class PostgresRoutingHistory
{
    /// <summary>The query's orders (<c>o</c>): its period, campaign and distributor.</summary>
    private const string Filters = " " + """
        o.placed_at >= @from AND o.placed_at < @to
           AND (@campaign::text IS NULL OR o.campaign_id = @campaign)
           AND (@distributor::text IS NULL OR o.distributor_ids @> ARRAY[@distributor::text])
        """;

    public async Task<(IReadOnlyList<OrderGroup> Groups, IReadOnlyList<DistributorFigures> Distributors)> OrderAnalyticsAsync(AnalyticsQuery query)
    {
        await using var connection = await _db.OpenConnectionAsync();
        // Both statements see the same orders; an analysis sorts a million confirm times in memory, and the JIT would
        // spend more compiling than it saves (measured: 1.5 s of 3.2 s over a million orders).
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        await using (var settings = new NpgsqlCommand("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'", connection, transaction))
            await settings.ExecuteNonQueryAsync();
        var groups = new List<OrderGroup>();
        // The facts are the record's columns (OrderFacts, written with it): nothing here parses a body.
        await using (var command = Analytics(connection, transaction, query, """
            SELECT status, cause, extract(hour FROM placed_at AT TIME ZONE 'UTC' + make_interval(mins => @offset))::integer,
                   allocated_units >= quantity, at_home, count(*), coalesce(sum(quantity), 0),
                   coalesce(sum(CASE WHEN @distributor::text IS NULL THEN allocated_units
                                     ELSE distributor_units[array_position(distributor_ids, @distributor::text)] END), 0)
              FROM routing_orders o
             WHERE
            """ + Filters + """
             GROUP BY 1, 2, 3, 4, 5
            """))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                groups.Add(new OrderGroup(Enum.Parse<OrderStatus>(reader.GetString(0)), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt32(2),
                    reader.GetBoolean(3), reader.IsDBNull(4) ? null : reader.GetBoolean(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7)));
        }

        var distributors = new List<DistributorFigures>();
        await using (var command = Analytics(connection, transaction, query, """
            SELECT x.distributor_id, count(*), coalesce(sum(x.units), 0), percentile_cont(0.5) WITHIN GROUP (ORDER BY x.minutes)
              FROM routing_orders o
             CROSS JOIN LATERAL unnest(o.distributor_ids, o.distributor_units, o.confirm_minutes) AS x(distributor_id, units, minutes)
             WHERE
            """ + Filters + """
               AND (@distributor::text IS NULL OR x.distributor_id = @distributor)
             GROUP BY x.distributor_id
            """))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                distributors.Add(new DistributorFigures(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetDouble(3)));
        }
        await transaction.CommitAsync();
        return (groups, distributors);
    }

    private static NpgsqlCommand Analytics(NpgsqlConnection connection, NpgsqlTransaction transaction, AnalyticsQuery query, string sql)
    {
        var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 120 };
        command.Parameters.AddWithValue("from", query.From);
        command.Parameters.AddWithValue("to", query.To);
        command.Parameters.AddWithValue("offset", query.UtcOffsetMinutes);
        command.Parameters.Add(new NpgsqlParameter("campaign", NpgsqlDbType.Text) { Value = (object?)query.CampaignId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("distributor", NpgsqlDbType.Text) { Value = (object?)query.DistributorId ?? DBNull.Value });
        return command;
    }
}
