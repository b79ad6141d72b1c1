using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Routing.Bench.Targets;

/// <summary>A throwaway Redis server for the Redis peer: its own config in a temporary directory (append-only file on,
/// fsync policy as asked, no RDB snapshots, loopback only, protected mode, in the foreground), a free loopback port, run
/// as the <c>redis</c> user when this process runs as root; stopped and deleted on dispose. Never a system service.</summary>
public sealed class LocalRedisServer : IAsyncDisposable
{
    public const string InstallHint =
        "redis-server not found (Debian's redis-server package). Install it as root: apt-get update && apt-get install -y redis-server " +
        "(./bench/run.sh and ./test.sh do this by themselves when run as root).";

    private static readonly string[] BinaryPaths = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"];

    private readonly HostProcess _process;
    private readonly string _dir;

    private LocalRedisServer(HostProcess process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for this server (admin: the peer flushes it at setup).</summary>
    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,allowAdmin=true";

    /// <summary>The redis-server binary, or null when it is not installed.</summary>
    public static string? FindBinary() => BinaryPaths.FirstOrDefault(File.Exists);

    /// <summary>Starts a server whose append-only file is fsynced as <paramref name="appendfsync"/> says
    /// (<c>always</c>: before each acknowledgement; <c>everysec</c>: once a second).</summary>
    public static async Task<LocalRedisServer> StartAsync(string appendfsync, string logDirectory, TextWriter log)
    {
        if (appendfsync is not ("always" or "everysec")) throw new ArgumentException("appendfsync is always or everysec", nameof(appendfsync));
        var bin = FindBinary() ?? throw new InvalidOperationException(InstallHint);
        var dir = Directory.CreateTempSubdirectory("routing-redis-").FullName;
        var port = TargetContext.FreeTcpPort();
        var config = Path.Combine(dir, "redis.conf");
        await File.WriteAllTextAsync(config, $"""
            bind 127.0.0.1
            port {port}
            protected-mode yes
            daemonize no
            supervised no
            dir {dir}
            logfile ""
            loglevel warning
            save ""
            appendonly yes
            appendfsync {appendfsync}
            """);
        // Redis runs as root but should not: as root here, it runs as the redis user the package creates.
        var asRedisUser = Environment.UserName == "root";
        if (asRedisUser) await RunAsync("chown", ["-R", "redis:redis", dir]);
        var process = asRedisUser
            ? HostProcess.Start("redis", "runuser", ["-u", "redis", "--", bin, config], dir, Path.Combine(logDirectory, $"redis-{port}.log"))
            : HostProcess.Start("redis", bin, [config], dir, Path.Combine(logDirectory, $"redis-{port}.log"));
        var server = new LocalRedisServer(process, dir, port);
        try
        {
            await server.WaitReadyAsync(TimeSpan.FromSeconds(30));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        log.WriteLine($"  Redis ({bin}, appendfsync {appendfsync}) on 127.0.0.1:{port}, data in {dir}");
        return server;
    }

    /// <summary>Until the server answers PING with PONG (RESP needs no client library for that).</summary>
    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync(IPAddress.Loopback, Port);
                var stream = socket.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[64];
                var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal)) return;
            }
            catch (SocketException) { }
            catch (IOException) { }
            catch (TimeoutException) { }
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"redis-server did not answer PING within {timeout.TotalSeconds:0} s; see {_process.LogPath}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not run {file}");
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
    }
}
