using System.Runtime.InteropServices;
using Routing.SapSim;

// The SAP stand-in: `scripts/sap-sim.sh demo` against `dotnet run --project api`; see SapSimCli.Usage.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl-C ends the feed's polling after the event being printed (its cursor saved); a second one kills.
    e.Cancel = !stop.IsCancellationRequested;
    stop.Cancel();
};
// `kill` (SIGTERM) stops it the same way.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
return await SapSimCli.RunAsync(args, Console.Out, Console.Error, stop.Token);
