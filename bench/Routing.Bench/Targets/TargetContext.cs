using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Routing.LocalPostgres;

namespace Routing.Bench.Targets;

/// <summary>Where the built targets are and how to start them: each runs in its own process on loopback ports
/// picked free at start, and is stopped (with its PostgreSQL, if any) when the run is done.</summary>
public sealed class TargetContext(string repoRoot, string configuration, string signingKey, string logDirectory, TextWriter log)
{
    public string RepoRoot { get; } = repoRoot;
    public string Configuration { get; } = configuration;
    public string SigningKey { get; } = signingKey;
    public string LogDirectory { get; } = logDirectory;
    public TextWriter Log { get; } = log;

    public async Task<RunningTarget> StartBaselineAsync(string mode, bool postgres)
    {
        LocalPostgresServer? pg = null;
        List<string> settings = [];
        if (postgres)
        {
            pg = await LocalPostgresServer.StartAsync(durable: true, log: Log);
            settings.AddRange(["--ConnectionStrings:Naive", pg.ConnectionString() + ";Maximum Pool Size=64;No Reset On Close=true"]);
        }
        return await StartBaselineProcessAsync(mode, settings, pg);
    }

    /// <summary>Starts the Redis peer on a fresh Redis whose append-only file is fsynced as <paramref name="appendfsync"/> says.</summary>
    public async Task<RunningTarget> StartRedisPeerAsync(string appendfsync)
    {
        var redis = await LocalRedisServer.StartAsync(appendfsync, LogDirectory, Log);
        try
        {
            return await StartBaselineProcessAsync("redis", ["--ConnectionStrings:Redis", redis.ConnectionString], redis);
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }
    }

    private Task<RunningTarget> StartBaselineProcessAsync(string mode, IEnumerable<string> settings, IAsyncDisposable? store)
    {
        var dll = Built("bench/Routing.Bench.Baselines", "Routing.Bench.Baselines");
        var port = FreeTcpPort();
        List<string> args = [dll, "--urls", $"http://127.0.0.1:{port}", "--Mode", mode, "--Auth:SigningKey", SigningKey, .. settings];
        return StartProcessAsync($"baseline-{mode}", port, args, Path.GetDirectoryName(dll)!, store);
    }

    /// <summary>Starts the API with its embedded silo. <c>{pg}</c> in an argument becomes a fresh PostgreSQL's connection string.</summary>
    public async Task<RunningTarget> StartEngineAsync(IReadOnlyList<string> settings, bool postgres)
    {
        var dll = Built("api", "Routing.Api");
        var port = FreeTcpPort();
        var pg = postgres ? await LocalPostgresServer.StartAsync(durable: true, log: Log) : null;
        List<string> args =
        [
            dll, "--Urls", $"http://127.0.0.1:{port}", "--Demo:Seed", "false", "--Auth:SigningKey", SigningKey,
            "--Orleans:SiloPort", FreeTcpPort().ToString(CultureInfo.InvariantCulture), "--Orleans:GatewayPort", FreeTcpPort().ToString(CultureInfo.InvariantCulture),
            "--Orleans:ClusterId", $"bench-{port}", "--Logging:LogLevel:Default", "Warning",
            // The benchmark measures the engine, not its door: limits far above any load the driver can make (the limiters
            // still run, so their cost is measured).
            "--RateLimits:CustomerBurst", "1000000", "--RateLimits:CustomerPerSecond", "1000000",
            "--RateLimits:CampaignBurst", "1000000", "--RateLimits:CampaignPerSecond", "1000000",
            "--RateLimits:ConcurrentPlacements", "1000000",
        ];
        args.AddRange(settings.Select(s => pg is null ? s : s.Replace("{pg}", pg.ConnectionString())));
        return await StartProcessAsync("engine", port, args, Path.Combine(RepoRoot, "api"), pg);
    }

    /// <summary>Starts a host process and waits until it is healthy; <paramref name="store"/> (its database) is stopped after it.</summary>
    private async Task<RunningTarget> StartProcessAsync(string name, int port, List<string> args, string workingDirectory, IAsyncDisposable? store)
    {
        var url = new Uri($"http://127.0.0.1:{port}");
        HostProcess? process = null;
        try
        {
            process = HostProcess.Start(name, "dotnet", args, workingDirectory, Path.Combine(LogDirectory, $"{name}-{port}.log"));
            await process.WaitHealthyAsync(url, TimeSpan.FromSeconds(120));
            return store is null ? new RunningTarget(url, process) : new RunningTarget(url, store, process);
        }
        catch
        {
            if (process is not null) await process.DisposeAsync();
            if (store is not null) await store.DisposeAsync();
            throw;
        }
    }

    private string Built(string projectDir, string assembly)
    {
        var path = Path.Combine(RepoRoot, projectDir, "bin", Configuration, "net10.0", assembly + ".dll");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is not built: run `dotnet build Routing.sln -c {Configuration}` first", path);
        return path;
    }

    public static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }
}
