using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Routing.Bench.Report;
using Routing.Bench.Targets;

namespace Routing.Bench.Analytics;

/// <summary>One query's timings over its repeats.</summary>
public sealed record AnalyticsTiming(string Query, long Orders, double P50Ms, double P95Ms, double MaxMs);

/// <summary>What an analytics run measured, as written to JSON (bench/results/analytics.json).</summary>
public sealed record AnalyticsReport(DateTimeOffset StartedAt, int Orders, double SeedSeconds, MachineInfo Machine, IReadOnlyList<AnalyticsTiming> Queries);

/// <summary><c>./bench/run.sh --analytics</c>: <c>GET /api/analytics/orders</c> over a million orders on PostgreSQL. The
/// engine is started as the load benchmark starts it (its own throwaway PostgreSQL, the API on free loopback ports, the
/// schema migrated by the API); the orders are written straight into its journal table in batches, as the journal would
/// have (the record's listed body and the analytics' columns of <c>OrderFacts</c>), spread over 30 days, 20 campaigns,
/// 200 distributors and 10,000 customers, with every outcome; then each query — the whole period, one campaign, one
/// distributor — is asked over HTTP with an ops token, once to warm up and then <c>repeats</c> times, and its p50 / p95 /
/// max latency reported. Correctness is checked too: the whole period counts every order.</summary>
public static class AnalyticsBenchRunner
{
    /// <summary>Orders of one statement: status, cause and the rest vary with the row number so every figure has data.</summary>
    private const string SeedBatch = """
        INSERT INTO routing_orders (order_id, customer_id, campaign_id, status, distributor_ids, quantity, unit_price, placed_at, updated_at,
                                    revision, body, state, version, allocated_units, at_home, cause, distributor_units, confirm_minutes)
        SELECT 'o-bench-' || g, c, camp, st, CASE WHEN alloc THEN ARRAY[d] ELSE ARRAY[]::text[] END, q, 118, t, t, 1,
               jsonb_build_object('orderId', 'o-bench-' || g, 'customerId', c, 'campaignId', camp, 'status', st,
                   'lines', jsonb_build_array(jsonb_build_object('sku', 'UREA-50', 'quantity', q)),
                   'allocations', CASE WHEN alloc THEN jsonb_build_array(jsonb_build_object('distributorId', d, 'sku', 'UREA-50', 'quantity', q)) ELSE '[]'::jsonb END,
                   'unitPrice', 118, 'reason', NULL, 'substitutions', '[]'::jsonb, 'suggestions', '[]'::jsonb, 'explanation', NULL,
                   'placedAt', t, 'updatedAt', t, 'cause', cause, 'homeDistributorId', home),
               NULL, 1, CASE WHEN alloc THEN q ELSE 0 END, CASE WHEN alloc THEN d = home END, cause,
               CASE WHEN alloc THEN ARRAY[q] ELSE ARRAY[]::integer[] END,
               CASE WHEN alloc THEN ARRAY[CASE WHEN st IN ('Confirmed', 'Shipped', 'Completed') THEN (g % 240)::double precision END]
                    ELSE ARRAY[]::double precision[] END
          FROM (SELECT g, 'c-' || (g % 10000) AS c, 'gb-' || (g % 20) AS camp,
                       (ARRAY['Allocated','Allocated','Confirmed','Confirmed','Shipped','Shipped','Completed','Rejected','Cancelled',
                              'OnHold','Backordered','Exception','PreOrder','Allocated'])[1 + (g::bigint * 7919) % 14] AS st,
                       'd-' || lpad(((g::bigint * 31) % 200)::text, 3, '0') AS d,
                       'd-' || lpad((g % 200)::text, 3, '0') AS home,
                       1 + g % 5 AS q,
                       @now::timestamptz - make_interval(secs => (g % 2592000)) AS t
                  FROM generate_series(@first, @last) g) s
         CROSS JOIN LATERAL (SELECT st NOT IN ('Rejected', 'Backordered', 'Exception') AS alloc,
                                    CASE WHEN st IN ('Rejected', 'Backordered')
                                         THEN (ARRAY['insufficientStock','noEligibleDistributor','capacityExhausted','wholeOrderNotFillable'])[1 + g % 4]
                                         WHEN st = 'Exception' THEN 'manualReviewPolicy' END AS cause) a
        """;

    public static async Task<AnalyticsReport> RunAsync(BenchOptions options, int orders, int repeats, TextWriter log)
    {
        var started = DateTimeOffset.UtcNow;
        var loadBefore = MachineInfo.LoadAverage();
        var context = new TargetContext(options.RepoRoot, options.Configuration, options.SigningKey, options.LogDirectory, log);
        var target = TargetCatalog.ByName(TargetCatalog.EnginePostgres);
        log.WriteLine($"== {target.Name}: {target.Description}");
        await using var running = await target.Start(context);
        var pg = running.Postgres ?? throw new InvalidOperationException("the engine on PostgreSQL started without its database");

        var seeding = Stopwatch.StartNew();
        await using (var db = NpgsqlDataSource.Create(pg.ConnectionString()))
        {
            const int batch = 100_000;
            for (var first = 1; first <= orders; first += batch)
            {
                await using var command = db.CreateCommand(SeedBatch);
                command.CommandTimeout = 0;
                command.Parameters.AddWithValue("now", started);
                command.Parameters.AddWithValue("first", first);
                command.Parameters.AddWithValue("last", Math.Min(orders, first + batch - 1));
                await command.ExecuteNonQueryAsync();
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {Math.Min(orders, first + batch - 1):N0} of {orders:N0} orders ({seeding.Elapsed.TotalSeconds:0} s)"));
            }
            await using var vacuum = db.CreateCommand("VACUUM ANALYZE routing_orders");
            vacuum.CommandTimeout = 0;
            await vacuum.ExecuteNonQueryAsync();
        }
        var seedSeconds = Math.Round(seeding.Elapsed.TotalSeconds, 1);

        using var http = new HttpClient { BaseAddress = running.BaseUrl, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Jwt.Issue(options.SigningKey, "ops"));
        var from = Uri.EscapeDataString(started.AddDays(-31).ToString("O", CultureInfo.InvariantCulture));
        var to = Uri.EscapeDataString(started.AddMinutes(1).ToString("O", CultureInfo.InvariantCulture));
        (string Name, string Query)[] queries =
        [
            ("the whole period (30 days)", $"from={from}&to={to}"),
            ("one campaign", $"from={from}&to={to}&campaignId=gb-3"),
            ("one distributor", $"from={from}&to={to}&distributorId=d-042"),
        ];
        var timings = new List<AnalyticsTiming>();
        foreach (var (name, query) in queries)
        {
            var placed = 0L;
            var samples = new List<double>();
            for (var i = 0; i <= repeats; i++)
            {
                var clock = Stopwatch.StartNew();
                using var response = await http.GetAsync($"/api/analytics/orders?{query}");
                var body = await response.Content.ReadAsStringAsync();
                clock.Stop();
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"analytics {name}: {(int)response.StatusCode} {body}");
                placed = JsonNode.Parse(body)!["orders"]!["placed"]!.GetValue<long>();
                if (i > 0) samples.Add(clock.Elapsed.TotalMilliseconds);
            }
            samples.Sort();
            timings.Add(new AnalyticsTiming(name, placed, Math.Round(Percentile(samples, 0.5), 1), Math.Round(Percentile(samples, 0.95), 1), Math.Round(samples[^1], 1)));
        }
        if (timings[0].Orders != orders) throw new InvalidOperationException($"the whole period counted {timings[0].Orders} orders, not {orders}");

        var report = new AnalyticsReport(started, orders, seedSeconds, MachineInfo.Read(loadBefore), timings);
        log.WriteLine();
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GET /api/analytics/orders over {orders:N0} orders on PostgreSQL (seeded in {seedSeconds} s), {repeats} runs each:"));
        log.WriteLine("| query | orders counted | p50 ms | p95 ms | max ms |");
        log.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var t in timings)
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {t.Query} | {t.Orders:N0} | {t.P50Ms:N0} | {t.P95Ms:N0} | {t.MaxMs:N0} |"));
        if (options.JsonPath is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, BenchRunner.Json));
            log.WriteLine($"results: {path}");
        }
        return report;
    }

    /// <summary>The nearest-rank percentile of sorted samples.</summary>
    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
