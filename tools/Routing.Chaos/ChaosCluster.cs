using System.Globalization;
using Npgsql;
using Routing.Bench.Targets;
using Routing.LocalPostgres;

namespace Routing.Chaos;

/// <summary>One run's deployment, like scripts/local-cluster.sh: a fresh database on the shared PostgreSQL, headless
/// silos (<c>silo/</c>) and one API node in client mode, each its own process on free loopback ports. Disposing stops
/// every process it started, by its own id.</summary>
public sealed class ChaosCluster : IAsyncDisposable
{
    private const int Active = 3, Dead = 6; // Orleans' SiloStatus values in the membership table

    private readonly List<HostProcess?> _silos = [];
    private readonly string _connectionString;
    private readonly string _clusterId;
    private HostProcess? _api;

    private ChaosCluster(string connectionString, string clusterId, Uri apiUrl)
    {
        _connectionString = connectionString;
        _clusterId = clusterId;
        ApiUrl = apiUrl;
    }

    public Uri ApiUrl { get; }

    public static async Task<ChaosCluster> StartAsync(ChaosOptions options, LocalPostgresServer postgres, int run, TextWriter log, CancellationToken ct)
    {
        var started = DateTime.UtcNow;
        var database = $"chaos_{run}_{Environment.ProcessId}";
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString()))
        {
            await connection.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
        var connectionString = postgres.ConnectionString(database) + ";Maximum Pool Size=30;Timeout=15";
        var clusterId = $"chaos-{run}";
        var cluster = new ChaosCluster(connectionString, clusterId, new Uri($"http://127.0.0.1:{LocalPostgresServer.FreeTcpPort()}"));
        try
        {
            var common = new Dictionary<string, string>
            {
                ["Storage__Provider"] = "Postgres",
                ["ConnectionStrings__Routing"] = connectionString,
                ["Orleans__ClusterId"] = clusterId,
                ["Orleans__ServiceId"] = "routing-chaos",
                ["Logging__LogLevel__Default"] = "Warning",
                // The campaign says why a lease came up short: what an audit needs when units are stranded.
                ["Logging__LogLevel__Routing.Grains.Campaigns"] = "Information",
                ["Logging__Console__TimestampFormat"] = "HH:mm:ss.fff ",
            };
            var silo = Built(options, "silo", "Routing.Silo");
            for (var i = 0; i < options.Silos; i++)
            {
                var env = new Dictionary<string, string>(common)
                {
                    ["Orleans__SiloPort"] = LocalPostgresServer.FreeTcpPort().ToString(CultureInfo.InvariantCulture),
                    ["Orleans__GatewayPort"] = LocalPostgresServer.FreeTcpPort().ToString(CultureInfo.InvariantCulture),
                    ["Routing__Reservations__UnverifiedAfter"] = options.UnverifiedAfter.ToString("c"),
                    ["Routing__Reservations__CheckEvery"] = options.CheckEvery.ToString("c"),
                };
                cluster._silos.Add(HostProcess.Start($"silo-{i + 1}", "dotnet", [silo], Path.GetDirectoryName(silo)!,
                    Path.Combine(options.LogDirectory, $"run-{run}-silo-{i + 1}.log"), env));
            }
            // The API node learns its gateways when it starts (and refreshes them only every minute): start it once
            // every silo is active, so requests spread over all of them.
            await cluster.UntilAsync(async () => await cluster.CountAsync(Active, ct) == options.Silos, TimeSpan.FromSeconds(120),
                $"{options.Silos} silos to become active", ct);
            var apiEnv = new Dictionary<string, string>(common)
            {
                ["Orleans__Mode"] = "Client",
                ["Urls"] = cluster.ApiUrl.ToString().TrimEnd('/'),
                ["Auth__SigningKey"] = options.SigningKey,
                ["Demo__Seed"] = "false",
                // The door's limits are not under test here; each would be a definite refusal that sells nothing.
                ["RateLimits__Enabled"] = "false",
            };
            var api = Built(options, "api", "Routing.Api");
            cluster._api = HostProcess.Start("api", "dotnet", [api], Path.GetDirectoryName(api)!,
                Path.Combine(options.LogDirectory, $"run-{run}-api.log"), apiEnv);
            await cluster._api.WaitHealthyAsync(cluster.ApiUrl, TimeSpan.FromSeconds(120)).WaitAsync(ct);
            log.WriteLine($"  [{(DateTime.UtcNow - started).TotalSeconds:0} s] cluster up: {options.Silos} silos + API {cluster.ApiUrl} (logs in {options.LogDirectory})");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>kill -9 of silo <paramref name="index"/> (0-based): no shutdown, no goodbye to the cluster.</summary>
    public async Task KillSiloAsync(int index)
    {
        var silo = _silos[index] ?? throw new InvalidOperationException($"silo {index + 1} is already dead");
        _silos[index] = null;
        await silo.DisposeAsync(); // Process.Kill: SIGKILL to the process and its children
    }

    /// <summary>Waits until the cluster has declared a silo dead (the others vote it out of the membership table).</summary>
    public Task UntilDeclaredDeadAsync(TimeSpan timeout, CancellationToken ct) =>
        UntilAsync(async () => await CountAsync(Dead, ct) >= 1, timeout, "the killed silo to be declared dead", ct);

    private async Task<long> CountAsync(int status, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync(ct);
            await using var query = new NpgsqlCommand("SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @c AND status = @s", connection);
            query.Parameters.AddWithValue("c", _clusterId);
            query.Parameters.AddWithValue("s", status);
            return (long)(await query.ExecuteScalarAsync(ct))!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable) { return 0; } // not migrated yet
    }

    private async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for {what}");
            if (_silos.FirstOrDefault(s => s is not null && Exited(s)) is { } exited)
                throw new InvalidOperationException($"a silo exited while waiting for {what}; see {exited.LogPath}");
            await Task.Delay(250, ct);
        }
    }

    private static bool Exited(HostProcess process)
    {
        try { return System.Diagnostics.Process.GetProcessById(process.Id).HasExited; }
        catch (ArgumentException) { return true; }
    }

    private static string Built(ChaosOptions options, string projectDir, string assembly)
    {
        var path = Path.Combine(options.RepoRoot, projectDir, "bin", options.Configuration, "net10.0", assembly + ".dll");
        return File.Exists(path) ? path
            : throw new FileNotFoundException($"{path} is not built: run `dotnet build Routing.sln -c {options.Configuration}` first", path);
    }

    public async ValueTask DisposeAsync()
    {
        if (_api is not null) await _api.DisposeAsync();
        foreach (var silo in _silos)
            if (silo is not null) await silo.DisposeAsync();
    }
}
