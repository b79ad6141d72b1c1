using System.Globalization;
using Routing.Bench;
using Routing.Bench.Erp;
using Routing.Bench.Scenarios;
using Routing.Bench.Targets;
using Routing.LocalPostgres;

// The load driver. `./bench/run.sh` builds in Release and runs the full comparison; see bench/README.md.
//   --smoke                      a few seconds per target with tiny numbers (what the test suite runs)
//   --scenarios hot-sku,spread   --targets ceiling,naive,engine-memory   --target NAME=URL (already running)
//   --duration S  --warmup S  --clients N  --share 0.7  --json PATH  --configuration Release
//   --analytics [ORDERS]         the analytics query over a million orders on PostgreSQL instead (bench/results/analytics.json)
//   --erp [--rows 100000] [--format csv|json]   SAP's bulk paths instead: a stock import and a reconciliation of that many rows on the
//                                engine on PostgreSQL (--targets engine-memory,engine-postgres for both); bench/results/erp.json
string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

var repo = BenchOptions.FindRepoRoot(AppContext.BaseDirectory);
var configuration = Option("--configuration") ?? "Release";
var options = args.Contains("--smoke") ? BenchOptions.Smoke(repo, configuration) : BenchOptions.Full(repo) with { Configuration = configuration };

if (args.Contains("--erp"))
{
    var erp = BenchOptions.Erp(repo, configuration, options.IsSmoke);
    if (Option("--targets") is { } erpTargets) erp = erp with { Targets = erpTargets.Split(',').Select(TargetCatalog.ByName).ToList() };
    if (Option("--json") is { } erpJson) erp = erp with { JsonPath = erpJson };
    var rows = Option("--rows") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : erp.IsSmoke ? BenchOptions.ErpSmokeRows : BenchOptions.ErpRows;
    var erpRun = ErpBenchRunner.RunAsync(erp, rows, Console.Out, csv: Option("--format") is not "json");
    var erpBudget = TimeSpan.FromMinutes(5) + TimeSpan.FromMinutes(30) * erp.Targets.Count;
    if (await Task.WhenAny(erpRun, Task.Delay(erpBudget)) != erpRun)
    {
        Console.Error.WriteLine($"bench: over its time budget of {erpBudget.TotalMinutes:0} min; stopping");
        await Routing.Bench.Targets.HostProcess.StopAllAsync();
        await LocalPostgresServer.StopAllAsync();
        return 2;
    }
    var erpReport = await erpRun;
    var wrong = erpReport.Results.Where(x => !x.Result.Correct).Select(x => x.Target).ToList();
    if (wrong.Count > 0) Console.Error.WriteLine($"bench: not every row applied and reconciled as sent on {string.Join(", ", wrong)}");
    return wrong.Count > 0 ? 1 : 0;
}

if (Option("--scenarios") is { } scenarios)
    options = options with { Scenarios = scenarios.Split(',').Select(s => ScenarioSpec.ByName(s, options.IsSmoke ? 0.02 : 1)).ToList() };
if (Option("--targets") is { } targets)
    options = options with { Targets = targets.Split(',').Select(TargetCatalog.ByName).ToList() };
var external = args.Select((a, i) => (a, i)).Where(x => x.a == "--target" && x.i + 1 < args.Length).Select(x => args[x.i + 1].Split('=', 2)).ToList();
if (external.Count > 0)
    options = options with { Targets = [.. options.Targets.Where(t => external.All(e => e[0] != t.Name)), .. external.Select(e => TargetCatalog.External(e[0], new Uri(e[1])))] };
if (Option("--duration") is { } duration) options = options with { Duration = TimeSpan.FromSeconds(double.Parse(duration, CultureInfo.InvariantCulture)) };
if (Option("--warmup") is { } warmup) options = options with { Warmup = TimeSpan.FromSeconds(double.Parse(warmup, CultureInfo.InvariantCulture)) };
if (Option("--clients") is { } clients) options = options with { Clients = int.Parse(clients, CultureInfo.InvariantCulture) };
if (Option("--share") is { } share) options = options with { SteadyShare = double.Parse(share, CultureInfo.InvariantCulture) };
if (Option("--json") is { } json) options = options with { JsonPath = json };
if (options.IsSmoke && Option("--json") is null) options = options with { JsonPath = null };

// --analytics [ORDERS]: GET /api/analytics/orders over a million orders (by default) on PostgreSQL, p50/p95 per query.
if (args.Contains("--analytics"))
{
    var orders = int.TryParse(Option("--analytics"), CultureInfo.InvariantCulture, out var n) ? n : (options.IsSmoke ? 2_000 : 1_000_000);
    var analytics = Routing.Bench.Analytics.AnalyticsBenchRunner.RunAsync(options with { JsonPath = Option("--json") ?? Path.Combine(repo, "bench", "results", "analytics.json") },
        orders, repeats: options.IsSmoke ? 3 : 20, Console.Out);
    if (await Task.WhenAny(analytics, Task.Delay(TimeSpan.FromMinutes(30))) != analytics)
    {
        Console.Error.WriteLine("bench: the analytics run took over 30 min; stopping");
        await Routing.Bench.Targets.HostProcess.StopAllAsync();
        await LocalPostgresServer.StopAllAsync();
        return 2;
    }
    await analytics;
    return 0;
}

// Bounded: a run that overstays its budget is stopped.
var budget = TimeSpan.FromSeconds(120) + (options.Warmup + 2 * options.Duration + TimeSpan.FromSeconds(90)) * options.Scenarios.Count * options.Targets.Count;
var run = BenchRunner.RunAsync(options, Console.Out);
if (await Task.WhenAny(run, Task.Delay(budget)) != run)
{
    Console.Error.WriteLine($"bench: over its time budget of {budget.TotalMinutes:0} min; stopping");
    await Routing.Bench.Targets.HostProcess.StopAllAsync();
    await LocalPostgresServer.StopAllAsync();
    return 2;
}
var report = await run;
var oversold = report.Results.Sum(r => r.Audit.OversoldUnits + r.LostUnits);
if (oversold > 0) Console.Error.WriteLine($"bench: {oversold} units oversold or lost");
return oversold > 0 ? 1 : 0;
