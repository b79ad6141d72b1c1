using System.Diagnostics;

namespace Routing.Tests;

/// <summary>The one way a test waits: for what the system makes true eventually (sales reported on a timer, caches
/// refreshed on a time to live, events pushed in batches, a silo declared dead, a host started), probing until it holds
/// and failing with the last value seen when it does not within a bound. Never a fixed sleep, and never an assertion on
/// time: the bound only ends a test that would otherwise hang, so it is generous.</summary>
public static class Eventually
{
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Probes until <paramref name="condition"/> holds for what <paramref name="probe"/> answers, and returns that.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, TimeSpan? within = null)
    {
        var bound = within ?? Within;
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var value = await probe();
            if (condition(value)) return value;
            if (Stopwatch.GetElapsedTime(started) > bound)
                Assert.Fail($"Waited {bound.TotalSeconds:0} s for {what}; last seen: {Describe(value)}");
            await Task.Delay(Interval);
        }
    }

    /// <summary>The same for a probe that needs no I/O (what a client has received, a silo-local object's state).</summary>
    public static Task<T> UntilAsync<T>(Func<T> probe, Func<T, bool> condition, string what, TimeSpan? within = null) =>
        UntilAsync(() => Task.FromResult(probe()), condition, what, within);

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        string s => s.Length > 2000 ? s[..2000] + "…" : s,
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Take(50)) + (items.Cast<object?>().Skip(50).Any() ? ", …]" : "]"),
        _ => value.ToString() ?? "",
    };
}
