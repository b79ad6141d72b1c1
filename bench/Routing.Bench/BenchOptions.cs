using Routing.Bench.Scenarios;
using Routing.Bench.Targets;
using Routing.LocalPostgres;

namespace Routing.Bench;

/// <summary>What a run does. <see cref="Full"/> is the documented comparison; <see cref="Smoke"/> is the same code
/// path with tiny numbers, run by the test suite so the driver cannot rot.</summary>
public sealed record BenchOptions
{
    public required string RepoRoot { get; init; }
    public string Configuration { get; init; } = "Release";
    public required IReadOnlyList<ScenarioSpec> Scenarios { get; init; }
    public required IReadOnlyList<TargetDefinition> Targets { get; init; }
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Length of each measured phase (closed-loop peak, then open loop at <see cref="SteadyShare"/> of it).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);
    public int Clients { get; init; } = 64;
    public double SteadyShare { get; init; } = 0.7;
    public int MaxOrdersPerPhase { get; init; } = 400_000;
    public string SigningKey { get; init; } = "routing-bench-signing-key-0123456789-abcdefgh";
    public string? JsonPath { get; init; }
    public bool IsSmoke { get; init; }
    public string LogDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "routing-bench-logs");

    public static BenchOptions Full(string repoRoot) => new()
    {
        RepoRoot = repoRoot,
        Scenarios = [ScenarioSpec.HotSku(), ScenarioSpec.Spread()],
        Targets = TargetCatalog.All,
        JsonPath = Path.Combine(repoRoot, "bench", "results", "latest.json"),
    };

    /// <summary>A few seconds per target with tiny numbers; the naive baseline only where PostgreSQL is installed, the
    /// Redis peers only where redis-server is (./test.sh installs both).</summary>
    public static BenchOptions Smoke(string repoRoot, string configuration) => new()
    {
        RepoRoot = repoRoot,
        Configuration = configuration,
        Scenarios = [ScenarioSpec.HotSku(0.02), ScenarioSpec.Spread(0.02)],
        Targets = TargetCatalog.All.Where(t => t.Name switch
        {
            TargetCatalog.Naive => LocalPostgresServer.FindBinaries() is not null,
            TargetCatalog.RedisAlways or TargetCatalog.RedisEverysec => LocalRedisServer.FindBinary() is not null,
            _ => true,
        }).ToList(),
        Warmup = TimeSpan.FromSeconds(1),
        Duration = TimeSpan.FromSeconds(2),
        Clients = 8,
        MaxOrdersPerPhase = 5_000,
        IsSmoke = true,
    };

    /// <summary>Rows of the ERP mode's stock import and reconciliation (<c>--erp</c>): 200 distributors × 500 products.</summary>
    public const int ErpRows = 100_000;

    /// <summary>Rows of the ERP mode's smoke run (what the test suite runs): 4 distributors × 500 products.</summary>
    public const int ErpSmokeRows = 2_000;

    /// <summary>The ERP mode: the engine on PostgreSQL, results in bench/results/erp.json (none for a smoke run).</summary>
    public static BenchOptions Erp(string repoRoot, string configuration, bool smoke) => new()
    {
        RepoRoot = repoRoot,
        Configuration = configuration,
        Scenarios = [],
        Targets = [TargetCatalog.ByName(TargetCatalog.EnginePostgres)],
        JsonPath = smoke ? null : Path.Combine(repoRoot, "bench", "results", "erp.json"),
        IsSmoke = smoke,
    };

    /// <summary>The repository root: the nearest directory above <paramref name="start"/> holding Routing.sln.</summary>
    public static string FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Routing.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Routing.sln above {start}");
    }
}
