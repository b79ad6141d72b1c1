using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Routing.Tests.Postgres;

/// <summary>A throwaway PostgreSQL server for the test run: initdb into a temporary directory, started with pg_ctl on
/// a free loopback port, stopped and deleted at the end. Never a system service. Runs as the <c>postgres</c> user
/// when the tests run as root (PostgreSQL refuses root). A missing PostgreSQL fails loudly with the fix.</summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dataDir;
    private readonly bool _asPostgresUser;
    private int _databases;

    public int Port { get; }

    private PostgresServer(string bin, string dataDir, int port, bool asPostgresUser)
    {
        _bin = bin;
        _dataDir = dataDir;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBinaries();
        var root = Path.Combine(Path.GetTempPath(), $"routing-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        var dataDir = Path.Combine(root, "data");
        Directory.CreateDirectory(root);
        var asPostgresUser = Environment.UserName == "root";
        if (asPostgresUser) await RunAsync("chown", ["-R", "postgres:postgres", root]);
        var server = new PostgresServer(bin, dataDir, FreePort(), asPostgresUser);
        await server.PgAsync("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions"]);
        // Durability of the test server itself is not under test (silos crash here, the database does not): skip fsync.
        var options = $"-p {server.Port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off " +
                      "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=128MB";
        await server.PgAsync("pg_ctl", ["-D", dataDir, "-l", Path.Combine(root, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
        return server;
    }

    /// <summary>A new, empty database on this server; answers its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string purpose)
    {
        var name = $"{purpose}_{Interlocked.Increment(ref _databases)}".ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Maximum Pool Size=60;Timeout=15";

    public async ValueTask DisposeAsync()
    {
        try { await PgAsync("pg_ctl", ["-D", _dataDir, "-m", "immediate", "-w", "stop"]); }
        catch { /* already gone */ }
        try { Directory.Delete(Path.GetDirectoryName(_dataDir)!, recursive: true); }
        catch { /* best effort */ }
    }

    private static string FindBinaries()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "postgres")))
                .OrderByDescending(d => d, StringComparer.Ordinal).ToList()
            : [];
        if (candidates.Count == 0)
            throw new InvalidOperationException(
                "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin. Install them: `apt-get install -y postgresql-15` " +
                "(./test.sh does this by itself when run as root).");
        return candidates[0];
    }

    private Task PgAsync(string tool, IReadOnlyList<string> args) =>
        _asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
            : RunAsync(Path.Combine(_bin, tool), args);

    private static async Task RunAsync(string file, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await error}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }
}

/// <summary>One PostgreSQL server shared by every PostgreSQL test class (each test takes its own database).</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("PostgreSQL is not started yet.");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
