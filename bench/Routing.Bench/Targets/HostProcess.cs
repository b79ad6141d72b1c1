using System.Diagnostics;

namespace Routing.Bench.Targets;

/// <summary>A target process this driver started (and only such a one): output to a log file, stopped by its own id.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<HostProcess, bool> Running = new();
    private readonly Process _process;
    private readonly StreamWriter _log;

    private HostProcess(Process process, StreamWriter log, string logPath)
    {
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public string LogPath { get; }
    public int Id => _process.Id;

    public static HostProcess Start(string name, string fileName, IEnumerable<string> args, string workingDirectory, string logPath,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_gcServer"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;

        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        if (!process.Start()) throw new InvalidOperationException($"could not start {name}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new HostProcess(process, log, logPath);
        Running[host] = true;
        return host;
    }

    /// <summary>Polls GET /health until it answers 200, the process exits, or the timeout passes.</summary>
    public async Task WaitHealthyAsync(Uri baseUrl, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the target exited with code {_process.ExitCode} while starting; see {LogPath}");
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the target did not become healthy within {timeout.TotalSeconds:0} s; see {LogPath}");
    }

    /// <summary>Stops every process this driver started and has not stopped yet (when a run is cut short).</summary>
    public static async Task StopAllAsync()
    {
        foreach (var host in Running.Keys) await host.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!Running.TryRemove(this, out _)) return;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
        }
        catch (InvalidOperationException) { }
        catch (TimeoutException) { }
        _process.Dispose();
        lock (_log) _log.Dispose();
    }
}
