using System.Collections.Concurrent;
using System.Diagnostics;

namespace Routing.Bench.Load;

/// <summary>How one measured phase drives load: closed loop (N clients, each waiting for its answer before the next
/// order) or open loop (orders arrive at a fixed rate whatever the answers, as in a real sale).</summary>
public sealed record LoadPlan(string Name, bool OpenLoop, int Clients, double Rate, TimeSpan Duration, int MaxOrders, int MaxInFlight = 1024);

/// <summary>The result of one phase.</summary>
public sealed record PhaseResult(
    string Name, string Mode, int Clients, double OfferedRate, double Seconds, long Orders, long Allocated, double OrdersPerSecond,
    LatencySummary Latency, IReadOnlyDictionary<string, long> Errors, long AllocatedUnits);

/// <summary>Runs a phase against one target. Bounded: it stops at <see cref="LoadPlan.Duration"/> or
/// <see cref="LoadPlan.MaxOrders"/>, whichever comes first, and then waits only for orders already sent.</summary>
public static class LoadRunner
{
    public static async Task<PhaseResult> RunAsync(OrderClient client, LoadPlan plan, int customers, int campaigns, int maxQuantity, string keyPrefix, int seed)
    {
        var recorder = new LatencyRecorder(plan.MaxOrders);
        var errors = new ConcurrentDictionary<string, long>();
        long allocated = 0, units = 0, issued = 0;
        using var stop = new CancellationTokenSource(plan.Duration + TimeSpan.FromSeconds(60));
        var clock = Stopwatch.StartNew();

        async Task One(long n, long startTicks, (int Customer, int Campaign, int Quantity) order)
        {
            var outcome = await client.PlaceAsync(order.Customer, order.Campaign, order.Quantity, $"{keyPrefix}-{n}", stop.Token);
            recorder.Add(Stopwatch.GetTimestamp() - startTicks);
            if (outcome.Allocated)
            {
                Interlocked.Increment(ref allocated);
                Interlocked.Add(ref units, outcome.Units);
            }
            else errors.AddOrUpdate(outcome.ErrorKind!, 1, (_, v) => v + 1);
        }

        if (!plan.OpenLoop)
        {
            var workers = Enumerable.Range(0, plan.Clients).Select(w => Task.Run(async () =>
            {
                var random = new Random(seed * 1000 + w);
                while (clock.Elapsed < plan.Duration)
                {
                    var n = Interlocked.Increment(ref issued);
                    if (n > plan.MaxOrders) break;
                    await One(n, Stopwatch.GetTimestamp(), Pick(random));
                }
            }));
            await Task.WhenAll(workers);
        }
        else
        {
            // Latency counts from when an order was due, not when it was sent: a stalled target cannot hide its queue
            // (no coordinated omission). The schedule wakes about every millisecond and sends whatever is due.
            var random = new Random(seed);
            var inFlight = 0;
            var pending = new List<Task>();
            var start = Stopwatch.GetTimestamp();
            var ticksPerOrder = Stopwatch.Frequency / plan.Rate;
            var total = (long)Math.Min(plan.MaxOrders, plan.Rate * plan.Duration.TotalSeconds);
            for (long n = 0; n < total;)
            {
                var now = Stopwatch.GetTimestamp();
                for (; n < total && start + (long)(n * ticksPerOrder) <= now; n++)
                {
                    if (Volatile.Read(ref inFlight) >= plan.MaxInFlight)
                    {
                        errors.AddOrUpdate("not sent (driver in-flight cap)", 1, (_, v) => v + 1);
                        continue;
                    }
                    Interlocked.Increment(ref inFlight);
                    Interlocked.Increment(ref issued);
                    var due = start + (long)(n * ticksPerOrder);
                    var id = n;
                    var order = Pick(random);
                    pending.Add(Task.Run(async () =>
                    {
                        try { await One(id, due, order); }
                        finally { Interlocked.Decrement(ref inFlight); }
                    }));
                }
                if (clock.Elapsed > plan.Duration + TimeSpan.FromSeconds(5)) break;
                await Task.Delay(1);
            }
            await Task.WhenAll(pending);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        (int, int, int) Pick(Random random) => (random.Next(customers), random.Next(campaigns), 1 + random.Next(maxQuantity));
        var latency = recorder.Summary();
        return new PhaseResult(plan.Name, plan.OpenLoop ? "open" : "closed", plan.Clients, plan.OpenLoop ? plan.Rate : 0,
            Math.Round(seconds, 2), latency.Count, allocated, Math.Round(allocated / seconds, 1),
            latency, new SortedDictionary<string, long>(errors), units);
    }
}
