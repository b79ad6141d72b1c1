using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Routing.Bench.Report;
using Routing.Bench.Targets;
using Routing.SapSim;

namespace Routing.Bench.Erp;

/// <summary>One target's ERP figures.</summary>
public sealed record ErpRun(string Target, string Description, ErpBenchResult Result);

/// <summary>Everything an ERP run measured, as written to JSON (bench/results/erp.json).</summary>
public sealed record ErpReport(DateTimeOffset StartedAt, double Seconds, bool Smoke, MachineInfo Machine, IReadOnlyList<ErpRun> Results);

/// <summary><c>./bench/run.sh --erp</c>: SAP's bulk paths on each target (the engine on PostgreSQL by default), started as
/// the load benchmark starts it (its own throwaway PostgreSQL, the API on free loopback ports): master data set up
/// through the import API, then one stock import and one snapshot reconciliation of every (distributor, SKU) pair, timed,
/// with the API process's peak working set sampled during each (<see cref="ErpBench"/>).</summary>
public static class ErpBenchRunner
{
    public static async Task<ErpReport> RunAsync(BenchOptions options, int rows, TextWriter log, bool csv = true)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var loadBefore = MachineInfo.LoadAverage();
        var context = new TargetContext(options.RepoRoot, options.Configuration, options.SigningKey, options.LogDirectory, log);
        var results = new List<ErpRun>();
        foreach (var target in options.Targets)
        {
            if (target.Kind != TargetKind.Engine) throw new ArgumentException($"--erp measures the engine; {target.Name} is not one");
            log.WriteLine($"== {target.Name}: {target.Description}");
            await using var running = await target.Start(context);
            using var http = ErpClient.CreateHttp(running.BaseUrl, Jwt.Issue(options.SigningKey, "erp"));
            var bench = new ErpBench(new ErpClient(http), log, running.ProcessId is { } pid ? () => WorkingSet(pid) : null);
            var spec = ErpBenchSpec.ForRows(rows, started.ToString("HHmmss", CultureInfo.InvariantCulture)) with { Csv = csv };
            using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));
            results.Add(new ErpRun(target.Name, target.Description, await bench.RunAsync(spec, cancel.Token)));
        }

        var report = new ErpReport(started, Math.Round(clock.Elapsed.TotalSeconds, 1), options.IsSmoke, MachineInfo.Read(loadBefore), results);
        log.WriteLine();
        log.WriteLine("| target | rows | format | stock import: s, rows/s, API peak MiB | reconciliation: s, rows/s, API peak MiB | applied / rejected | differences | correct |");
        log.WriteLine("|---|---:|---|---:|---:|---:|---:|---|");
        foreach (var (name, _, r) in results)
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {r.Spec.Rows:N0} | {(r.Spec.Csv ? "CSV" : "JSON")} | {r.StockImport.Seconds:0.0}, {r.StockImport.RowsPerSecond:N0}, {Mib(r.StockImport)} | " +
                $"{r.Reconciliation.Seconds:0.0}, {r.Reconciliation.RowsPerSecond:N0}, {Mib(r.Reconciliation)} | {r.Applied:N0} / {r.Rejected:N0} | {r.Differences:N0} | {(r.Correct ? "yes" : "NO")} |"));
        if (options.JsonPath is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, BenchRunner.Json));
            log.WriteLine($"results: {path}");
        }
        return report;
    }

    private static string Mib(ErpPhase phase) => phase.PeakWorkingSetMiB is { } mib ? mib.ToString("N0", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>The process's resident set now, or null once it is gone.</summary>
    private static long? WorkingSet(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.WorkingSet64;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}
