using Routing.LocalPostgres;
using static System.FormattableString;

namespace Routing.Chaos;

/// <summary>Runs the seeded sales one after another on one throwaway durable PostgreSQL (a database per run), prints
/// each run's figures and the totals, and stops everything it started, whatever happens.</summary>
public static class ChaosRunner
{
    public static async Task<IReadOnlyList<RunResult>> RunAsync(ChaosOptions options, TextWriter log, CancellationToken ct)
    {
        Directory.CreateDirectory(options.LogDirectory);
        log.WriteLine($"chaos: {options.Runs} run(s) from seed {options.Seed}: cap {options.Cap}, {options.Clients} clients, " +
                      Invariant($"{options.Silos} silos + 1 API node on PostgreSQL; a silo killed at {options.KillFrom:P0}–{options.KillTo:P0} of the cap"));
        var results = new List<RunResult>();
        await using var postgres = await LocalPostgresServer.StartAsync(durable: true, maxConnections: 400, log: log);
        for (var run = 1; run <= options.Runs && !ct.IsCancellationRequested; run++)
        {
            log.WriteLine($"run {run} (seed {options.Seed + run - 1}):");
            var result = await ChaosRun.RunAsync(options, postgres, run, log, ct);
            results.Add(result);
            log.WriteLine(Describe(result));
        }
        log.WriteLine(Total(results));
        return results;
    }

    public static string Describe(RunResult r)
    {
        if (!r.Measured) return Invariant($"  run {r.Run}: NOT MEASURED ({r.Error}) after {r.Duration.TotalSeconds:0} s");
        return (
            Invariant($"  run {r.Run}: silo {r.Victim} killed at {r.KilledAtUnits} units ({100.0 * r.KilledAtUnits / r.Cap:0}%); ") +
            Invariant($"{r.Requests} requests, {r.Ambiguous} ambiguous answers retried, {r.Unresolved} unresolved; {r.Duration.TotalSeconds:0} s\n") +
            Invariant($"    oversold {r.Oversold} | lost acknowledgements {r.LostAcknowledged} | phantom reservations {r.Phantom}") +
            (r.PhantomAllocated > 0 ? Invariant($" ({r.PhantomAllocated} held by allocated orders never acknowledged)") : "") +
            Invariant($" | stranded units {r.Stranded} | sold {r.Sold} vs acknowledged {r.AcknowledgedUnits} ({r.SoldGap:+0;-0;0})") +
            Invariant($" | sold after recovery {r.AcknowledgedAfterRecovery}") +
            string.Concat(r.LostDetails.Select(d => $"\n    lost: {d}")));
    }

    public static string Total(IReadOnlyList<RunResult> results)
    {
        var measured = results.Where(r => r.Measured).ToList();
        return (
            Invariant($"total over {measured.Count} measured run(s) of {results.Count}: oversold {measured.Sum(r => r.Oversold)} | ") +
            Invariant($"lost acknowledgements {measured.Sum(r => r.LostAcknowledged)} | phantom reservations {measured.Sum(r => r.Phantom)} | ") +
            Invariant($"stranded units {measured.Sum(r => r.Stranded)} | sold ≠ acknowledged in {measured.Count(r => r.SoldGap != 0)} run(s) ") +
            Invariant($"(Σ sold − acknowledged {measured.Sum(r => r.SoldGap):+0;-0;0}) | exact runs {measured.Count(r => r.Exact)} of {results.Count}"));
    }
}
