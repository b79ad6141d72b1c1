using Routing.Domain.Explaining;

namespace Routing.Domain.Stages;

/// <summary>Diagnosis: why a unit of work could not be placed, and which of its lines a substitute could fix. Stock is
/// checked first because a SKU nobody holds in full is what a substitute can fix; capacity and the way earlier units
/// used up stock are not.</summary>
internal static class Diagnosis
{
    /// <summary>Every candidate failed a rule other than stock: how many for each reason.</summary>
    public static NoneEligible NoneEligible(ExclusionReason?[] exclusion)
    {
        var counts = new List<ExclusionCount>();
        foreach (var reason in Enum.GetValues<ExclusionReason>())
        {
            var n = 0;
            foreach (var e in exclusion)
                if (e == reason) n++;
            if (n > 0) counts.Add(new ExclusionCount(reason, n));
        }
        return new NoneEligible(exclusion.Length, counts);
    }

    /// <summary>A unit that had to go to one distributor (whole order or a line group).</summary>
    public static (Finding Cause, List<int> ShortLines) Whole(Attempt a, Unit unit)
    {
        var shortages = new List<Finding>();
        var shortLines = new List<int>();
        for (var j = 0; j < unit.Skus.Length; j++)
        {
            var (best, bestAvailable) = BestHolder(a, unit.Skus[j]);
            if (bestAvailable >= unit.Quantities[j]) continue;
            shortages.Add(Shortage(a, unit.Skus[j], unit.Quantities[j], best, bestAvailable));
            foreach (var line in unit.Lines)
                if (string.Equals(a.Lines[line].Sku, unit.Skus[j], StringComparison.Ordinal)) shortLines.Add(line);
        }
        if (shortages.Count == 1) return (shortages[0], shortLines);
        if (shortages.Count > 1) return (new Shortages(shortages), shortLines);

        var (most, capacity) = MostCapacity(a);
        if (capacity < unit.Total) return (new NoCapacityForUnits(unit.Total, a.Id(most), capacity), shortLines);
        if (AnyCouldFillBeforeThisPlan(a, unit)) return (new TakenByEarlierUnits(WorkUnitKind.Group), shortLines);
        return (new NoSingleHolder(unit.Ref), shortLines);
    }

    /// <summary>A line under split quantity, which could use up to <paramref name="maxSplits"/> distributors.</summary>
    public static (Finding Cause, List<int> ShortLines) Line(Attempt a, Unit unit, int maxSplits)
    {
        var sku = unit.Skus[0];
        var quantity = unit.Total;
        var stock = new List<int>();
        var usable = new List<int>();
        for (var c = 0; c < a.Pool.Count; c++)
        {
            if (!a.Pool.IsEligibleExceptStock(c)) continue;
            var available = Math.Max(0, a.Pool.Snapshots[c].Available(sku));
            stock.Add(available);
            usable.Add(Math.Min(available, a.Pool.Snapshots[c].CapacityLeft));
        }

        var bestStock = SumOfLargest(stock, maxSplits);
        if (bestStock < quantity)
        {
            if (maxSplits > 1 && bestStock > 0)
                return (new NotCoverableBySplits(sku, quantity, maxSplits, bestStock), [.. unit.Lines]);
            var (best, bestAvailable) = BestHolder(a, sku);
            return (Shortage(a, sku, quantity, best, bestAvailable), [.. unit.Lines]);
        }
        var bestUsable = SumOfLargest(usable, maxSplits);
        if (bestUsable < quantity) return (new SplitCapacityShort(sku, quantity, maxSplits, bestUsable), []);
        return (new TakenByEarlierUnits(WorkUnitKind.Line), []);
    }

    private static int SumOfLargest(List<int> values, int n)
    {
        values.Sort(static (x, y) => y.CompareTo(x));
        long sum = 0;
        for (var i = 0; i < values.Count && i < n; i++) sum += values[i];
        return (int)Math.Min(int.MaxValue, sum);
    }

    private static Finding Shortage(Attempt a, string sku, int quantity, int best, int bestAvailable) =>
        bestAvailable <= 0 ? new NoneInStock(sku) : new NotEnoughAnywhere(sku, quantity, a.Id(best), bestAvailable);

    /// <summary>Among candidates eligible except for stock; ties go to the lower id.</summary>
    private static (int Candidate, int Available) BestHolder(Attempt a, string sku)
    {
        var best = -1;
        var most = 0;
        for (var c = 0; c < a.Pool.Count; c++)
        {
            if (!a.Pool.IsEligibleExceptStock(c)) continue;
            var available = a.Pool.Snapshots[c].Available(sku);
            if (best < 0 || available > most)
            {
                best = c;
                most = Math.Max(0, available);
            }
        }
        return (best, most);
    }

    private static (int Candidate, int Capacity) MostCapacity(Attempt a)
    {
        var best = -1;
        var most = 0;
        for (var c = 0; c < a.Pool.Count; c++)
        {
            if (!a.Pool.IsEligibleExceptStock(c)) continue;
            if (best < 0 || a.Pool.Snapshots[c].CapacityLeft > most)
            {
                best = c;
                most = a.Pool.Snapshots[c].CapacityLeft;
            }
        }
        return (best, most);
    }

    private static bool AnyCouldFillBeforeThisPlan(Attempt a, Unit unit)
    {
        foreach (var c in a.Eligible)
        {
            var d = a.Pool.Snapshots[c];
            if (d.CapacityLeft < unit.Total) continue;
            var all = true;
            for (var j = 0; j < unit.Skus.Length && all; j++) all = d.Available(unit.Skus[j]) >= unit.Quantities[j];
            if (all) return true;
        }
        return false;
    }
}
