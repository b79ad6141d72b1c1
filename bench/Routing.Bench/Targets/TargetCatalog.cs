namespace Routing.Bench.Targets;

/// <summary>What a target speaks beyond the common order route: how a scenario is set up, how stock is audited,
/// and whether it has live events.</summary>
public enum TargetKind
{
    /// <summary>The HTTP stack alone (with or without auth): no setup, no audit.</summary>
    Ceiling,
    /// <summary>A baseline that stores orders (the naive PostgreSQL one, the Redis peer): /bench/setup and /bench/audit.</summary>
    Baseline,
    /// <summary>The engine: its public REST API and the ops hub.</summary>
    Engine,
}

/// <summary>A system under test: a name, what it is, and how to start it (or where it already runs).</summary>
public sealed record TargetDefinition(string Name, TargetKind Kind, string Description, Func<TargetContext, Task<RunningTarget>> Start);

/// <summary>Every target the benchmark knows, in the order they run. Adding a target is adding an entry.</summary>
public static class TargetCatalog
{
    public const string Ceiling = "ceiling";
    public const string CeilingJwt = "ceiling-jwt";
    public const string Naive = "naive";
    public const string RedisAlways = "redis-always";
    public const string RedisEverysec = "redis-everysec";
    public const string EngineMemory = "engine-memory";
    public const string EnginePostgres = "engine-postgres";

    public static IReadOnlyList<TargetDefinition> All { get; } =
    [
        new(Ceiling, TargetKind.Ceiling, "trivial ASP.NET Core JSON POST endpoint (the HTTP stack alone)",
            ctx => ctx.StartBaselineAsync("ceiling", postgres: false)),
        new(CeilingJwt, TargetKind.Ceiling, "the ceiling behind the engine's JWT validation and token rules (the share of auth)",
            ctx => ctx.StartBaselineAsync("ceiling-jwt", postgres: false)),
        new(Naive, TargetKind.Baseline, "ASP.NET Core + Npgsql, one transaction per order (SELECT … FOR UPDATE), PostgreSQL 15",
            ctx => ctx.StartBaselineAsync("naive", postgres: true)),
        // The design people pick for 秒杀: durable at the acknowledgement like the engine (always), or as commonly run
        // (everysec: a crash can lose up to a second of acknowledged orders).
        new(RedisAlways, TargetKind.Baseline, "ASP.NET Core + StackExchange.Redis, one Lua script per order, Redis 7 appendfsync always",
            ctx => ctx.StartRedisPeerAsync("always")),
        new(RedisEverysec, TargetKind.Baseline, "the same Redis peer with appendfsync everysec (can lose 1 s of acknowledged orders)",
            ctx => ctx.StartRedisPeerAsync("everysec")),
        new(EngineMemory, TargetKind.Engine, "the engine: embedded silo, in-memory storage",
            ctx => ctx.StartEngineAsync(["--Storage:Provider", "Memory"], postgres: false)),
        // {pg} is the connection string of a PostgreSQL the driver starts for this target.
        new(EnginePostgres, TargetKind.Engine, "the engine: embedded silo, PostgreSQL storage, clustering, reminders and history",
            ctx => ctx.StartEngineAsync(["--Storage:Provider", "Postgres", "--ConnectionStrings:Routing", "{pg}"], postgres: true)),
    ];

    /// <summary>A target that already runs at <paramref name="url"/> (<c>--target NAME=URL</c>); its kind is the
    /// catalog entry's of that name, or <see cref="TargetKind.Engine"/> for a new name.</summary>
    public static TargetDefinition External(string name, Uri url)
    {
        var kind = All.FirstOrDefault(t => t.Name == name)?.Kind ?? TargetKind.Engine;
        return new(name, kind, $"already running at {url}", _ => Task.FromResult(new RunningTarget(url)));
    }

    public static TargetDefinition ByName(string name) =>
        All.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException($"unknown target '{name}'; known: {string.Join(", ", All.Select(t => t.Name))} (or NAME=URL)");
}

/// <summary>A started target: its base URL and what to stop afterwards (processes, a database), newest first.</summary>
public sealed class RunningTarget(Uri baseUrl, params IAsyncDisposable[] resources) : IAsyncDisposable
{
    public Uri BaseUrl { get; } = baseUrl;

    /// <summary>The target's own PostgreSQL, when the driver started one for it.</summary>
    public Routing.LocalPostgres.LocalPostgresServer? Postgres => resources.OfType<Routing.LocalPostgres.LocalPostgresServer>().FirstOrDefault();
    /// <summary>The target's process, when the driver started one (for its working set).</summary>
    public int? ProcessId => resources.OfType<HostProcess>().FirstOrDefault()?.Id;

    public async ValueTask DisposeAsync()
    {
        foreach (var r in resources.Reverse()) await r.DisposeAsync();
    }
}
