using System.Diagnostics;

namespace Routing.Tests.Grains;

/// <summary>Waits for what the cluster makes true eventually (sales reported on a timer, caches refreshed on a
/// time to live), failing with the last value seen when it is not true within a bounded time. Never asserts on time.</summary>
internal static class Poll
{
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var value = await probe();
            if (condition(value)) return value;
            if (Stopwatch.GetElapsedTime(started) > Within)
                Assert.Fail($"Waited {Within.TotalSeconds:0} s for {what}; last seen: {Describe(value)}");
            await Task.Delay(Interval);
        }
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        string s => s,
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>()) + "]",
        _ => value.ToString() ?? "",
    };
}
