using System.Reflection;
using System.Text.Json;
using Routing.Bench;
using Routing.Bench.Report;
using Routing.Bench.Targets;
using Xunit.Abstractions;

namespace Routing.Tests.Bench;

/// <summary>The load driver's smoke mode: the same code as a full run, a few seconds per target with tiny numbers,
/// against real hosts it starts (the ceilings, the engine, the naive baseline where PostgreSQL is installed and the Redis
/// peers where redis-server is; ./test.sh installs both).
/// Fails if the driver breaks, if any target stops serving orders, or if anything oversells.</summary>
public sealed class BenchSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Smoke_run_drives_every_target_and_finds_no_oversell_and_live_events_arrive()
    {
        var configuration = typeof(BenchSmokeTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var json = Path.Combine(Path.GetTempPath(), $"routing-bench-smoke-{Guid.NewGuid():N}.json");
        var options = BenchOptions.Smoke(BenchOptions.FindRepoRoot(AppContext.BaseDirectory), configuration) with { JsonPath = json };
        var log = new StringWriter();
        try
        {
            var report = await BenchRunner.RunAsync(options, log).WaitAsync(TimeSpan.FromMinutes(5));

            Assert.Equal(options.Targets.Count * options.Scenarios.Count, report.Results.Count);
            Assert.Contains(report.Results, r => r.Target == TargetCatalog.EngineMemory);
            Assert.Contains(report.Results, r => r.Target == TargetCatalog.CeilingJwt);
            if (LocalRedisServer.FindBinary() is not null) Assert.Contains(report.Results, r => r.Target == TargetCatalog.RedisAlways);
            Assert.All(report.Results, r =>
            {
                Assert.True(r.Peak.Allocated > 0, $"{r.Target}/{r.Scenario}: no order allocated at peak");
                Assert.True(r.Steady.Allocated > 0, $"{r.Target}/{r.Scenario}: no order allocated in the open loop");
                Assert.True(r.Peak.Latency.P99 > 0);
                Assert.Equal(0, r.Audit.OversoldUnits);
                Assert.Equal(0, r.LostUnits);
                Assert.Equal(r.Target is not (TargetCatalog.Ceiling or TargetCatalog.CeilingJwt), r.Audit.Audited);
            });
            // Orders the driver could not send in time (its in-flight cap, when this shared machine is busy) are a
            // timing, not an answer: every order the engine was sent must succeed.
            Assert.All(report.Results.Where(r => r.Target == TargetCatalog.EngineMemory), r =>
            {
                Assert.DoesNotContain(r.Peak.Errors.Concat(r.Steady.Errors), e => !e.Key.StartsWith("not sent", StringComparison.Ordinal));
                Assert.True(r.LiveLagSteady!.Seen > 0, "the ops hub delivered no orderAllocated");
                Assert.Equal(r.AcknowledgedUnits, r.Audit.ReservedUnits);
            });
            // The Redis peers and the JWT ceiling serve every order they are sent too (a token the engine takes, they take).
            Assert.All(report.Results.Where(r => r.Target is TargetCatalog.RedisAlways or TargetCatalog.RedisEverysec or TargetCatalog.CeilingJwt), r =>
            {
                Assert.DoesNotContain(r.Peak.Errors.Concat(r.Steady.Errors), e => !e.Key.StartsWith("not sent", StringComparison.Ordinal));
                if (r.Audit.Audited) Assert.Equal(r.AcknowledgedUnits, r.Audit.ReservedUnits);
            });
            Assert.Contains("| hot-sku | engine-memory |", TableWriter.Write(report));
            using var written = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            Assert.Equal(report.Results.Count, written.RootElement.GetProperty("results").GetArrayLength());
        }
        finally
        {
            output.WriteLine(log.ToString());
            File.Delete(json);
        }
    }
}
