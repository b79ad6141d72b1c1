using System.Reflection;
using Routing.Bench;
using Routing.Bench.Erp;
using Routing.Bench.Targets;
using Xunit.Abstractions;

namespace Routing.Tests.Bench;

/// <summary>The ERP benchmark's smoke mode (<c>./bench/run.sh --erp --smoke</c>): the same code as the 100,000-row run,
/// 2,000 rows, on the engine on PostgreSQL as the benchmark starts it (its own throwaway PostgreSQL, the API as a
/// process). Checks what the run did, never how fast: every row imported, none rejected, the reconciliation completed
/// with exactly the differences sent.</summary>
public sealed class ErpBenchSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Erp_smoke_run_imports_every_row_and_reconciles_exactly_the_differences_sent()
    {
        var configuration = typeof(ErpBenchSmokeTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var options = BenchOptions.Erp(BenchOptions.FindRepoRoot(AppContext.BaseDirectory), configuration, smoke: true);
        var log = new StringWriter();
        try
        {
            var report = await ErpBenchRunner.RunAsync(options, BenchOptions.ErpSmokeRows, log).WaitAsync(TimeSpan.FromMinutes(5));

            var run = Assert.Single(report.Results);
            Assert.Equal(TargetCatalog.EnginePostgres, run.Target);
            var r = run.Result;
            Assert.Equal(BenchOptions.ErpSmokeRows, r.Spec.Rows);
            Assert.Equal(("Completed", r.Spec.Rows, 0, 0), (r.ImportStatus, r.Applied, r.Unchanged, r.Rejected));
            Assert.Equal(("Completed", r.Spec.Rows), (r.ReconciliationStatus, r.Processed));
            Assert.Equal(r.Spec.ExpectedDifferences, r.Differences);
            Assert.Equal(r.Spec.Rows - r.Spec.ExpectedDifferences, r.Matched);
            Assert.True(r.Correct);
            Assert.NotNull(r.StockImport.PeakWorkingSetMiB);
            Assert.Contains("| engine-postgres | 2,000 | CSV |", log.ToString());
        }
        finally
        {
            output.WriteLine(log.ToString());
        }
    }
}
