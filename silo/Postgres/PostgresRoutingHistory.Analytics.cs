using Npgsql;
using NpgsqlTypes;
using Routing.Domain;
using Routing.Grains.History;

namespace Routing.Silo.Postgres;

/// <summary>Order analytics over the journal's rows (<c>routing_orders</c>): grouped in PostgreSQL, so a period of a
/// million orders comes back as a few hundred groups; what they add up to is <see cref="OrderAnalytics.Of"/>'s. The
/// period is read through <c>ix_routing_orders_placed</c> (or the campaign's index), a distributor through the GIN index
/// on <c>distributor_ids</c>.</summary>
public sealed partial class PostgresRoutingHistory
{
    /// <summary>The orders of the query, with the facts each group counts: taken from the row's columns and its body
    /// (the listed order) as <see cref="OrderGroup.Of"/> takes them in memory.</summary>
    private const string AnalysedOrders = """
        WITH o AS (
            SELECT order_id, status, placed_at, quantity AS ordered, body
              FROM routing_orders
             WHERE placed_at >= @from AND placed_at < @to
               AND (@campaign::text IS NULL OR campaign_id = @campaign)
               AND (@distributor::text IS NULL OR distributor_ids @> ARRAY[@distributor::text]))
        """;

    public async Task<(IReadOnlyList<OrderGroup> Groups, IReadOnlyList<DistributorFigures> Distributors)> OrderAnalyticsAsync(AnalyticsQuery query)
    {
        await using var connection = await _db.OpenConnectionAsync();
        var groups = new List<OrderGroup>();
        await using (var command = Analytics(connection, query, AnalysedOrders + """
            , facts AS (
                SELECT status, body->>'cause' AS cause,
                       extract(hour FROM placed_at AT TIME ZONE 'UTC' + make_interval(mins => @offset))::integer AS hour,
                       ordered,
                       (SELECT coalesce(sum((a->>'quantity')::integer), 0) FROM jsonb_array_elements(body->'allocations') a) AS allocated_all,
                       (SELECT coalesce(sum((a->>'quantity')::integer), 0) FROM jsonb_array_elements(body->'allocations') a
                         WHERE @distributor::text IS NULL OR a->>'distributorId' = @distributor) AS allocated,
                       CASE WHEN body->>'homeDistributorId' IS NULL OR jsonb_array_length(body->'allocations') = 0 THEN NULL
                            ELSE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(body->'allocations') a
                                              WHERE a->>'distributorId' <> body->>'homeDistributorId') END AS at_home
                  FROM o)
            SELECT status, cause, hour, allocated_all >= ordered, at_home, count(*), coalesce(sum(ordered), 0), coalesce(sum(allocated), 0)
              FROM facts GROUP BY 1, 2, 3, 4, 5
            """))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                groups.Add(new OrderGroup(Enum.Parse<OrderStatus>(reader.GetString(0)), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt32(2),
                    reader.GetBoolean(3), reader.IsDBNull(4) ? null : reader.GetBoolean(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7)));
        }

        var distributors = new List<DistributorFigures>();
        await using (var command = Analytics(connection, query, AnalysedOrders + """
            , allocations AS (
                SELECT a->>'distributorId' AS distributor_id, o.order_id, sum((a->>'quantity')::integer) AS units
                  FROM o, jsonb_array_elements(o.body->'allocations') a
                 WHERE @distributor::text IS NULL OR a->>'distributorId' = @distributor
                 GROUP BY 1, 2),
            confirmed AS (
                SELECT s->>'distributorId' AS distributor_id,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (s->>'confirmedAt')::timestamptz - o.placed_at) / 60) AS median
                  FROM o, jsonb_array_elements(o.body->'shares') s
                 WHERE s->>'confirmedAt' IS NOT NULL
                 GROUP BY 1)
            SELECT a.distributor_id, count(*), sum(a.units), c.median
              FROM allocations a LEFT JOIN confirmed c ON c.distributor_id = a.distributor_id
             GROUP BY a.distributor_id, c.median
            """))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                distributors.Add(new DistributorFigures(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetDouble(3)));
        }
        return (groups, distributors);
    }

    private static NpgsqlCommand Analytics(NpgsqlConnection connection, AnalyticsQuery query, string sql)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("from", query.From);
        command.Parameters.AddWithValue("to", query.To);
        command.Parameters.AddWithValue("offset", query.UtcOffsetMinutes);
        command.Parameters.Add(new NpgsqlParameter("campaign", NpgsqlDbType.Text) { Value = (object?)query.CampaignId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("distributor", NpgsqlDbType.Text) { Value = (object?)query.DistributorId ?? DBNull.Value });
        return command;
    }
}
