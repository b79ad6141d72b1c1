using System.Reflection;
using Routing.Bench;
using Routing.Chaos;
using Xunit.Abstractions;

namespace Routing.Tests.Chaos;

/// <summary>The chaos command (scripts/chaos.sh) as part of the test run: two short seeded kill-a-silo sales, each on a
/// real PostgreSQL with 3 silo processes and an API node, clients retrying ambiguous answers with the same key, one silo
/// killed (kill -9) mid-sale. Each must be exact: nothing oversold, no acknowledged order lost, no phantom reservation,
/// no stranded unit (the campaign sells out to its cap after the crash) and sold = the acknowledged units. Runs alone:
/// five processes and a sale's timing on 2 shared cores should not compete with the parallel test classes.</summary>
[Collection(ChaosCollection.Name)]
public sealed class ChaosSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_short_kill_a_silo_sales_are_exact()
    {
        var configuration = typeof(ChaosSmokeTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var options = new ChaosOptions
        {
            RepoRoot = BenchOptions.FindRepoRoot(AppContext.BaseDirectory), Configuration = configuration,
            Runs = 2, Seed = 7, Cap = 300, Clients = 12, Quiet = TimeSpan.FromSeconds(6), RunTimeout = TimeSpan.FromSeconds(200),
        };
        var log = new StringWriter();
        try
        {
            var results = await ChaosRunner.RunAsync(options, log, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(8));

            Assert.Equal(2, results.Count);
            foreach (var run in results)
            {
                Assert.True(run.Measured, run.Error);
                Assert.True(run.KilledAtUnits > 0, "the silo was killed before anything sold");
                Assert.True(run.AcknowledgedUnits > run.KilledAtUnits, "nothing sold after the kill");
                Assert.True(run.Exact, $"run {run.Run}: oversold {run.Oversold}, lost {run.LostAcknowledged}, phantom {run.Phantom}, " +
                    $"stranded {run.Stranded}, sold − acknowledged {run.SoldGap}");
            }
            foreach (var figure in new[] { "oversold", "lost acknowledgements", "phantom reservations", "stranded units", "sold" })
                Assert.Contains(figure, log.ToString());
        }
        finally
        {
            output.WriteLine(log.ToString());
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChaosCollection
{
    public const string Name = "Chaos";
}
