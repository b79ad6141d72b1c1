using System.Reflection;
using Routing.Bench;
using Routing.Chaos;
using Xunit.Abstractions;

namespace Routing.Tests.Chaos;

/// <summary>The chaos driver (scripts/chaos.sh) end to end with tiny numbers: a real PostgreSQL, 3 silo processes and
/// an API node, one silo killed mid-sale. Checks that the tool runs and reports its figures, not what they are (today's
/// engine strands units; the order journal is what makes them zero). Runs alone: five processes and a sale's timing
/// on 2 shared cores should not compete with the parallel test classes.</summary>
[Collection(ChaosCollection.Name)]
public sealed class ChaosSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task One_tiny_kill_a_silo_run_is_measured_and_prints_the_four_figures()
    {
        var configuration = typeof(ChaosSmokeTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var options = new ChaosOptions
        {
            RepoRoot = BenchOptions.FindRepoRoot(AppContext.BaseDirectory), Configuration = configuration,
            Runs = 1, Seed = 7, Cap = 100, Clients = 6, Quiet = TimeSpan.FromSeconds(3), RunTimeout = TimeSpan.FromSeconds(200),
        };
        var log = new StringWriter();
        try
        {
            var results = await ChaosRunner.RunAsync(options, log, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(4));

            var run = Assert.Single(results);
            Assert.True(run.Measured, run.Error);
            Assert.True(run.KilledAtUnits > 0, "the silo was killed before anything sold");
            Assert.True(run.AcknowledgedUnits > run.KilledAtUnits, "nothing sold after the kill");
            Assert.InRange(run.AcknowledgedUnits, 1, options.Cap);
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
