namespace Routing.Domain.Rules;

/// <summary>How fast one SKU sells at one distributor (库存预测): two exponentially decaying rates of the units its orders
/// reserve there, in units per day, as of <see cref="At"/>. Each sale adds <c>units × ln 2 / half-life</c> to a rate and
/// both halve every half-life, so a steady trickle of sales converges on its true rate. The fast rate (half-life
/// <see cref="FastHalfLife"/>) shows a flash sale within minutes; the slow one (<see cref="SlowHalfLife"/>) holds the
/// trend through quiet days; the velocity is the larger of the two.</summary>
[GenerateSerializer, Immutable]
public sealed record Velocity(
    [property: Id(0)] double Fast,
    [property: Id(1)] double Slow,
    [property: Id(2)] DateTimeOffset At)
{
    public static readonly TimeSpan FastHalfLife = TimeSpan.FromHours(6);
    public static readonly TimeSpan SlowHalfLife = TimeSpan.FromDays(7);

    public static readonly Velocity None = new(0, 0, DateTimeOffset.MinValue);

    /// <summary>The rates with <paramref name="units"/> sold at <paramref name="at"/> added.</summary>
    public Velocity Add(int units, DateTimeOffset at)
    {
        var now = DecayedTo(at);
        return new Velocity(now.Fast + Rate(units, FastHalfLife), now.Slow + Rate(units, SlowHalfLife), now.At);
    }

    /// <summary>The rates as they have decayed by <paramref name="at"/> (a time before <see cref="At"/> changes nothing).</summary>
    public Velocity DecayedTo(DateTimeOffset at) =>
        at <= At ? this : new Velocity(Fast * Half(at - At, FastHalfLife), Slow * Half(at - At, SlowHalfLife), at);

    /// <summary>Units per day at <paramref name="at"/>: the larger of the two rates.</summary>
    public double PerDay(DateTimeOffset at)
    {
        var now = DecayedTo(at);
        return Math.Max(now.Fast, now.Slow);
    }

    private static double Rate(int units, TimeSpan halfLife) => units * Math.Log(2) / halfLife.TotalDays;

    private static double Half(TimeSpan elapsed, TimeSpan halfLife) => Math.Pow(0.5, elapsed / halfLife);
}

/// <summary>Days of cover and what to restock or move (设置 <c>targetDaysOfCover</c>, <c>lowCoverDays</c>).</summary>
public static class Cover
{
    /// <summary>A velocity below this (units per day) is no sales at all: cover is unbounded (null).</summary>
    public const double NoSales = 0.01;

    /// <summary>Days the stock lasts at the velocity: (available + incoming) ÷ velocity; null when nothing sells.</summary>
    public static double? Days(int available, int incoming, double perDay) =>
        perDay < NoSales ? null : Math.Max(0, available + incoming) / perDay;

    /// <summary>Below <paramref name="lowCoverDays"/> of cover (never when nothing sells): the <c>LowCover</c> alert.</summary>
    public static bool IsLow(double? days, double lowCoverDays) => days is { } d && d < lowCoverDays;

    /// <summary>Units to order so the stock (with what is on its way) covers <paramref name="targetDays"/>.</summary>
    public static int SuggestedRestock(int available, int incoming, double perDay, double targetDays) =>
        Math.Max(0, (int)Math.Ceiling(targetDays * perDay - Math.Max(0, available) - incoming));

    /// <summary>What a distributor could give another and still cover <paramref name="targetDays"/> itself.</summary>
    public static int Surplus(int available, int incoming, double perDay, double targetDays) =>
        Math.Max(0, available - (int)Math.Ceiling(targetDays * perDay - incoming));

    /// <summary>Transfers that meet <paramref name="need"/> from distributors with surplus, nearest first: each gives what
    /// it can spare until the need is met (at most <paramref name="maxSuggestions"/> of them).</summary>
    public static IReadOnlyList<(string FromDistributorId, int Quantity)> SuggestTransfers(
        int need, IEnumerable<(string DistributorId, int Surplus, double DistanceKm)> candidates, int maxSuggestions = 3)
    {
        var suggestions = new List<(string, int)>();
        foreach (var (id, surplus, _) in candidates.Where(c => c.Surplus > 0).OrderBy(c => c.DistanceKm).ThenBy(c => c.DistributorId, StringComparer.Ordinal))
        {
            if (need <= 0 || suggestions.Count == maxSuggestions) break;
            var quantity = Math.Min(need, surplus);
            suggestions.Add((id, quantity));
            need -= quantity;
        }
        return suggestions;
    }
}
