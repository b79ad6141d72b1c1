using System.Reflection;
using Routing.Bench;
using Routing.Bench.Analytics;
using Xunit.Abstractions;

namespace Routing.Tests.Bench;

/// <summary>The analytics benchmark's smoke run (<c>--analytics</c> with 2,000 orders): the engine on its own PostgreSQL,
/// the orders written into its journal table as the benchmark writes a million, and every query answered over HTTP, the
/// whole period counting every order. Checks the benchmark works and its seeded rows read as the journal's, not timings.</summary>
public sealed class AnalyticsBenchSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_analytics_benchmark_seeds_the_journal_and_every_query_counts_what_it_seeded()
    {
        var configuration = typeof(AnalyticsBenchSmokeTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var json = Path.Combine(Path.GetTempPath(), $"routing-analytics-smoke-{Guid.NewGuid():N}.json");
        var options = BenchOptions.Smoke(BenchOptions.FindRepoRoot(AppContext.BaseDirectory), configuration) with { JsonPath = json };
        var log = new StringWriter();
        try
        {
            var report = await AnalyticsBenchRunner.RunAsync(options, orders: 2_000, repeats: 2, log).WaitAsync(TimeSpan.FromMinutes(5));
            Assert.Equal(3, report.Queries.Count);
            Assert.Equal(2_000, report.Queries[0].Orders);
            // 20 campaigns share the orders evenly; a distributor has one in 200 of them, less those not allocated.
            Assert.Equal(100, report.Queries[1].Orders);
            Assert.InRange(report.Queries[2].Orders, 1, 10);
            Assert.True(File.Exists(json));
        }
        finally
        {
            output.WriteLine(log.ToString());
            File.Delete(json);
        }
    }
}
