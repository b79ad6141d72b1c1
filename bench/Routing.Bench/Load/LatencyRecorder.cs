using System.Diagnostics;

namespace Routing.Bench.Load;

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record LatencySummary(long Count, double P50, double P95, double P99, double Max)
{
    public static LatencySummary Empty { get; } = new(0, 0, 0, 0, 0);

    /// <summary>Exact percentiles (nearest rank) of the recorded values, given in stopwatch ticks.</summary>
    public static LatencySummary Of(ReadOnlySpan<long> ticks)
    {
        if (ticks.IsEmpty) return Empty;
        var sorted = ticks.ToArray();
        Array.Sort(sorted);
        double Ms(long t) => Math.Round(t * 1000.0 / Stopwatch.Frequency, 2);
        double At(double p) => Ms(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)]);
        return new(sorted.Length, At(0.50), At(0.95), At(0.99), Ms(sorted[^1]));
    }
}

/// <summary>Records latencies into a preallocated array (runs are bounded in count): no allocation, no lock per order.</summary>
public sealed class LatencyRecorder(int capacity)
{
    private readonly long[] _ticks = new long[capacity];
    private int _count;

    public void Add(long ticks)
    {
        var i = Interlocked.Increment(ref _count) - 1;
        if (i < _ticks.Length) _ticks[i] = ticks;
    }

    public LatencySummary Summary() => LatencySummary.Of(_ticks.AsSpan(0, Math.Min(Volatile.Read(ref _count), _ticks.Length)));
}
