using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Routing.Bench.Load;
using Routing.Bench.Report;
using Routing.Bench.Scenarios;
using Routing.Bench.Targets;

namespace Routing.Bench;

/// <summary>Runs every scenario on every target, one target at a time (each in its own process, stopped afterwards),
/// so every number in the table comes from the same run on the same machine.</summary>
public static class BenchRunner
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static async Task<BenchReport> RunAsync(BenchOptions options, TextWriter log)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var loadBefore = MachineInfo.LoadAverage();
        var runId = started.ToString("HHmmss", CultureInfo.InvariantCulture);
        var context = new TargetContext(options.RepoRoot, options.Configuration, options.SigningKey, options.LogDirectory, log);
        var results = new List<ScenarioResult>();

        foreach (var target in options.Targets)
        {
            log.WriteLine($"== {target.Name}: {target.Description}");
            await using var running = await target.Start(context);
            foreach (var spec in options.Scenarios)
                results.Add(await RunScenarioAsync(options, target, running.BaseUrl, ScenarioData.Create(spec, runId), log));
        }

        BenchReport.AddRatios(results);
        var report = new BenchReport(started, Math.Round(clock.Elapsed.TotalSeconds, 1), options.IsSmoke, MachineInfo.Read(loadBefore), new
        {
            warmupSeconds = options.Warmup.TotalSeconds,
            phaseSeconds = options.Duration.TotalSeconds,
            options.Clients,
            options.SteadyShare,
            scenarios = options.Scenarios,
            targets = options.Targets.Select(t => new { t.Name, t.Description }),
        }, results);

        log.WriteLine();
        log.WriteLine(TableWriter.Write(report));
        if (options.JsonPath is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, Json));
            log.WriteLine($"results: {path}");
        }
        return report;
    }

    private static async Task<ScenarioResult> RunScenarioAsync(BenchOptions options, TargetDefinition target, Uri baseUrl, ScenarioData data, TextWriter log)
    {
        log.WriteLine($"-- {target.Name} / {data.Spec.Name}: {data.Spec.Distributors} distributors × {data.Spec.Skus} SKUs, {data.Spec.Customers} customers");
        using var setupHttp = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        using var setupCancel = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var api = new TargetApi(setupHttp, target.Kind, options.SigningKey);
        var setupClock = Stopwatch.StartNew();
        await api.SetupAsync(data, setupCancel.Token);
        log.WriteLine($"   set up in {setupClock.Elapsed.TotalSeconds:0.0} s");

        await using var probe = target.Kind == TargetKind.Engine
            ? await LiveLagProbe.ConnectAsync(baseUrl, Jwt.Issue(options.SigningKey, "ops"), setupCancel.Token)
            : null;

        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 2048,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            UseProxy = false,
        };
        using var http = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        var client = new OrderClient(http, data, options.SigningKey);
        var (customers, campaigns, maxQuantity) = (data.Customers.Count, data.Campaigns.Count, data.Spec.MaxQuantity);
        var prefix = $"{data.Spec.Name}-{Guid.NewGuid():N}"[..24];

        var warmup = await LoadRunner.RunAsync(client,
            new LoadPlan("warmup", false, options.Clients, 0, options.Warmup, options.MaxOrdersPerPhase), customers, campaigns, maxQuantity, prefix + "-w", 1);
        log.WriteLine($"   warmup: {warmup.OrdersPerSecond:0} orders/s");

        var peakAcks = probe is null ? null : new ConcurrentDictionary<string, long>();
        client.Acks = peakAcks;
        var peak = await LoadRunner.RunAsync(client,
            new LoadPlan("peak", false, options.Clients, 0, options.Duration, options.MaxOrdersPerPhase), customers, campaigns, maxQuantity, prefix + "-p", 2);
        log.WriteLine($"   peak (closed loop, {options.Clients} clients): {peak.OrdersPerSecond:0} orders/s, p99 {peak.Latency.P99} ms, errors {peak.Errors.Values.Sum()}");

        var steadyAcks = probe is null ? null : new ConcurrentDictionary<string, long>();
        client.Acks = steadyAcks;
        var rate = Math.Max(1, Math.Round(peak.OrdersPerSecond * options.SteadyShare));
        var steady = await LoadRunner.RunAsync(client,
            new LoadPlan("steady", true, 0, rate, options.Duration, options.MaxOrdersPerPhase), customers, campaigns, maxQuantity, prefix + "-s", 3);
        log.WriteLine($"   open loop at {rate:0}/s: {steady.OrdersPerSecond:0} orders/s, p99 {steady.Latency.P99} ms, errors {steady.Errors.Values.Sum()}");
        client.Acks = null;
        foreach (var (kind, body) in client.Examples) log.WriteLine($"   e.g. {kind}: {body}");

        LiveLag? lagPeak = null, lagSteady = null;
        if (probe is not null)
        {
            lagSteady = await probe.MeasureAsync(steadyAcks!, TimeSpan.FromSeconds(5));
            lagPeak = await probe.MeasureAsync(peakAcks!, TimeSpan.FromSeconds(1));
            log.WriteLine($"   live lag p99: {lagSteady.Lag.P99} ms at 70% ({lagSteady.Missing} missing), {lagPeak.Lag.P99} ms at peak");
        }

        // Campaign totals are reported by the silos' quota holders every 200 ms: let them settle before auditing.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var audit = await api.AuditAsync(data, setupCancel.Token);
        var acknowledged = warmup.AllocatedUnits + peak.AllocatedUnits + steady.AllocatedUnits;
        var lost = audit.Audited ? Math.Max(0, acknowledged - audit.ReservedUnits) : 0;
        log.WriteLine(audit.Audited
            ? $"   audit: {audit.OversoldUnits} oversold, {audit.ReservedUnits} reserved, {acknowledged} acknowledged, {lost} lost, campaigns sold {audit.CampaignSold}"
            : $"   audit: n/a ({audit.Note})");
        return new ScenarioResult(data.Spec.Name, target.Name, target.Description, peak, steady, audit, acknowledged, lost, lagPeak, lagSteady);
    }
}
