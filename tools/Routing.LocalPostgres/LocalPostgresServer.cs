using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Routing.LocalPostgres;

/// <summary>A throwaway PostgreSQL server: initdb into a temporary directory, started with pg_ctl on a free loopback
/// port, stopped and deleted on dispose. Never a system service. Runs as the <c>postgres</c> user when this process
/// runs as root (PostgreSQL refuses root). Used by the tests and by the benchmarks.</summary>
public sealed class LocalPostgresServer : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<LocalPostgresServer, bool> Running = new();
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private readonly string _bin;
    private readonly bool _asPostgresUser;

    private LocalPostgresServer(string bin, string dir, int port, bool asPostgresUser)
    {
        _bin = bin;
        Directory = dir;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    /// <summary>Where the server keeps its data and log.</summary>
    public string Directory { get; }

    /// <summary>The connection string of a database on this server (trust authentication as <c>postgres</c>).</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database}";

    /// <summary>The binaries directory of the newest installed PostgreSQL, or null.</summary>
    public static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        if (!System.IO.Directory.Exists(root)) return null;
        return System.IO.Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "pg_ctl")) && File.Exists(Path.Combine(b, "postgres")))
            .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    /// <summary>Starts a server. <paramref name="durable"/> keeps fsync and synchronous commit on (benchmarks measure
    /// a durable database); off, the server skips them (tests crash silos, never the database).</summary>
    public static async Task<LocalPostgresServer> StartAsync(bool durable, int maxConnections = 200, TextWriter? log = null)
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin. Install them: apt-get install -y postgresql-15 " +
            "(./test.sh does this by itself when run as root).");
        var asPostgresUser = Environment.UserName == "root";
        var dir = System.IO.Directory.CreateTempSubdirectory("routing-pg-").FullName;
        var server = new LocalPostgresServer(bin, dir, FreeTcpPort(), asPostgresUser);
        if (asPostgresUser) await RunAsync("chown", ["-R", "postgres:postgres", dir]);
        var data = Path.Combine(dir, "data");
        await server.PgAsync("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions", "--no-sync"]);
        var options = $"-p {server.Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={dir} " +
                      $"-c max_connections={maxConnections} -c shared_buffers=128MB -c log_min_messages=warning" +
                      (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        await server.PgAsync("pg_ctl", ["-D", data, "-o", options, "-l", Path.Combine(dir, "server.log"), "-w", "-t", "60", "start"]);
        Running[server] = true;
        log?.WriteLine($"  PostgreSQL ({bin}) on 127.0.0.1:{server.Port}, data in {dir}");
        return server;
    }

    /// <summary>Stops every server this process started and has not stopped yet (when a run is cut short).</summary>
    public static async Task StopAllAsync()
    {
        foreach (var server in Running.Keys) await server.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!Running.TryRemove(this, out _)) return;
        try { await PgAsync("pg_ctl", ["-D", Path.Combine(Directory, "data"), "-m", "immediate", "-w", "stop"]); }
        catch (Exception) { /* already stopped */ }
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    private Task PgAsync(string tool, IReadOnlyList<string> args) =>
        _asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
            : RunAsync(Path.Combine(_bin, tool), args);

    private static async Task RunAsync(string file, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not run {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(CommandTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} took longer than {CommandTimeout.TotalSeconds:0} s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stdout}{await stderr}");
    }
}
