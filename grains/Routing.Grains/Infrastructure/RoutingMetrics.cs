using System.Diagnostics.Metrics;

namespace Routing.Grains.Infrastructure;

/// <summary>The engine's own metrics (meter <see cref="MeterName"/>): counters and one histogram, so recording costs
/// an interlocked add and allocates nothing per order. Exported by OpenTelemetry where the host configures it.</summary>
public static class RoutingMetrics
{
    public const string MeterName = "Routing";

    private static readonly Meter Meter = new(MeterName, "1.0");

    public static readonly Counter<long> OrdersPlaced = Meter.CreateCounter<long>("routing.orders.placed", "{order}", "Orders placed (new, not replays)");
    public static readonly Counter<long> OrdersAllocated = Meter.CreateCounter<long>("routing.orders.allocated", "{order}", "Orders allocated to distributors");
    public static readonly Counter<long> OrdersRejected = Meter.CreateCounter<long>("routing.orders.rejected", "{order}",
        "Orders not allocated (rejected, backordered, awaiting substitution, manual review)");
    public static readonly Histogram<double> AllocationLatency = Meter.CreateHistogram<double>("routing.allocation.duration", "ms",
        "From an order reaching its grain to its state being durable", advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 2500, 5000],
        });
    public static readonly Counter<long> Reservations = Meter.CreateCounter<long>("routing.reservations", "{reservation}", "Reservations made at distributors");
    public static readonly Counter<long> ReservationsRefused = Meter.CreateCounter<long>("routing.reservations.refused", "{reservation}",
        "Reservations a distributor refused (stale snapshot, capacity); the order re-routes");
    public static readonly Counter<long> StateWrites = Meter.CreateCounter<long>("routing.distributor.writes", "{write}",
        "Distributor state writes; fewer than reservations when group commit batches them");
    public static readonly Counter<long> AlertsRaised = Meter.CreateCounter<long>("routing.alerts.raised", "{alert}", "New alerts raised (repeats of an open one not counted)");
}
