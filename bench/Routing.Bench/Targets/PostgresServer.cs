using System.Diagnostics;

namespace Routing.Bench.Targets;

/// <summary>A throw-away PostgreSQL on a free loopback port in a temporary data directory, started with the
/// distribution's binaries (as the <c>postgres</c> user when running as root: PostgreSQL refuses root), and stopped
/// and deleted afterwards. Durable like production: fsync and synchronous commit stay on.</summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<PostgresServer, bool> Running = new();
    private readonly string _bin;
    private readonly string _dir;
    private readonly bool _asPostgresUser;

    private PostgresServer(string bin, string dir, int port, bool asPostgresUser)
    {
        _bin = bin;
        _dir = dir;
        _asPostgresUser = asPostgresUser;
        Port = port;
    }

    public int Port { get; }
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres";

    /// <summary>The binaries directory of the newest installed PostgreSQL, or null.</summary>
    public static string? FindBinaries()
    {
        var root = "/usr/lib/postgresql";
        if (!Directory.Exists(root)) return null;
        return Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "pg_ctl")))
            .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    public static async Task<PostgresServer> StartAsync(string logDirectory, TextWriter log)
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl): apt-get install postgresql");
        var asPostgres = Environment.UserName == "root";
        var dir = Directory.CreateTempSubdirectory("routing-bench-pg-").FullName;
        var port = TargetContext.FreeTcpPort();
        var server = new PostgresServer(bin, dir, port, asPostgres);
        if (asPostgres) await RunAsync("chown", ["-R", "postgres", dir], TimeSpan.FromSeconds(10));
        await server.PgAsync("initdb", ["-D", Path.Combine(dir, "data"), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"], TimeSpan.FromSeconds(60));
        var options = $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={dir} -c max_connections=200 " +
                      "-c shared_buffers=256MB -c log_min_messages=warning";
        await server.PgAsync("pg_ctl", ["-D", Path.Combine(dir, "data"), "-o", options, "-l", Path.Combine(dir, "server.log"), "-w", "-t", "60", "start"],
            TimeSpan.FromSeconds(90));
        Running[server] = true;
        log.WriteLine($"  PostgreSQL ({bin}) on 127.0.0.1:{port}, data in {dir}");
        return server;
    }

    private Task PgAsync(string tool, IReadOnlyList<string> args, TimeSpan timeout) =>
        _asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args], timeout)
            : RunAsync(Path.Combine(_bin, tool), args, timeout);

    private static async Task RunAsync(string file, IReadOnlyList<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info) ?? throw new InvalidOperationException($"could not run {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try { await p.WaitForExitAsync().WaitAsync(timeout); }
        catch (TimeoutException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} took longer than {timeout.TotalSeconds:0} s");
        }
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {await stdout}{await stderr}");
    }

    /// <summary>Stops every server this driver started and has not stopped yet (when a run is cut short).</summary>
    public static async Task StopAllAsync()
    {
        foreach (var server in Running.Keys) await server.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!Running.TryRemove(this, out _)) return;
        try { await PgAsync("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-m", "fast", "-w", "stop"], TimeSpan.FromSeconds(60)); }
        catch (Exception) { /* already stopped */ }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
