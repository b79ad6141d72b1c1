using System.Runtime.InteropServices;
using Routing.Bench;
using Routing.Bench.Targets;
using Routing.Chaos;
using Routing.LocalPostgres;

// The chaos driver; scripts/chaos.sh builds in Release and runs it. See README "Recovery".
//   --runs N (10)  --seed S (1)  --cap U (2000)  --clients C (48)  --expect-exact  --quiet S (6)  --run-timeout S (300)
// Exit code: 0 when every run was measured (whatever the figures), unless --expect-exact and a run was not exact (1);
// 2 when a run could not be measured or the options are wrong.
ChaosOptions options;
try { options = ChaosOptions.Parse(args, BenchOptions.FindRepoRoot(AppContext.BaseDirectory)); }
catch (ArgumentException e)
{
    Console.Error.WriteLine($"chaos: {e.Message}");
    return 2;
}

using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true; // let the cleanup below run
    Console.Error.WriteLine("chaos: stopping (cleaning up processes and the database)…");
    stop.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
try
{
    var results = await ChaosRunner.RunAsync(options, Console.Out, stop.Token);
    if (stop.IsCancellationRequested || results.Any(r => !r.Measured)) return 2;
    return options.ExpectExact && results.Any(r => !r.Exact) ? 1 : 0;
}
catch (Exception e) when (e is not OperationCanceledException)
{
    Console.Error.WriteLine($"chaos: {e.Message}");
    return 2;
}
catch (OperationCanceledException) { return 2; }
finally
{
    await HostProcess.StopAllAsync();
    await LocalPostgresServer.StopAllAsync();
}
