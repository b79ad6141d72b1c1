using Routing.Bench.Load;
using Routing.Bench.Targets;

namespace Routing.Bench.Report;

/// <summary>One target on one scenario: peak (closed loop), steady (open loop at a share of the peak), audit, live lag.</summary>
public sealed record ScenarioResult(
    string Scenario, string Target, string TargetDescription, PhaseResult Peak, PhaseResult Steady, AuditResult Audit,
    long AcknowledgedUnits, long LostUnits, LiveLag? LiveLagPeak, LiveLag? LiveLagSteady)
{
    public double? VsCeiling { get; set; }
    public double? VsNaive { get; set; }
    public double? VsRedisAlways { get; set; }
}

/// <summary>The machine a run was on and how busy it was (other work on a shared machine makes numbers noisy).</summary>
public sealed record MachineInfo(string Cpu, int Cores, double MemoryGiB, string Os, string Runtime, string LoadAverageBefore, string LoadAverageAfter)
{
    public static MachineInfo Read(string loadBefore) => new(
        CpuModel(), Environment.ProcessorCount, Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
        System.Runtime.InteropServices.RuntimeInformation.OSDescription, Environment.Version.ToString(), loadBefore, LoadAverage());

    public static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        }
        catch (IOException) { return "unknown"; }
    }
}

/// <summary>Everything a run measured, as written to JSON.</summary>
public sealed record BenchReport(
    DateTimeOffset StartedAt, double Seconds, bool Smoke, MachineInfo Machine, object Settings, IReadOnlyList<ScenarioResult> Results)
{
    /// <summary>Ratios of each target's peak to the ceiling's, the naive baseline's and the Redis peer's (durable) on the
    /// same scenario.</summary>
    public static void AddRatios(IReadOnlyList<ScenarioResult> results)
    {
        foreach (var r in results)
        {
            var ceiling = results.FirstOrDefault(x => x.Scenario == r.Scenario && x.Target == TargetCatalog.Ceiling);
            var naive = results.FirstOrDefault(x => x.Scenario == r.Scenario && x.Target == TargetCatalog.Naive);
            var redis = results.FirstOrDefault(x => x.Scenario == r.Scenario && x.Target == TargetCatalog.RedisAlways);
            if (ceiling is { Peak.OrdersPerSecond: > 0 }) r.VsCeiling = Math.Round(r.Peak.OrdersPerSecond / ceiling.Peak.OrdersPerSecond, 3);
            if (naive is { Peak.OrdersPerSecond: > 0 }) r.VsNaive = Math.Round(r.Peak.OrdersPerSecond / naive.Peak.OrdersPerSecond, 2);
            if (redis is { Peak.OrdersPerSecond: > 0 }) r.VsRedisAlways = Math.Round(r.Peak.OrdersPerSecond / redis.Peak.OrdersPerSecond, 2);
        }
    }
}
