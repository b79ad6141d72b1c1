using Routing.Domain.Explaining;

namespace Routing.Domain.Rules;

/// <summary>Which stock alerts a level raises. An alert fires when available crosses below, not on every order: each
/// is raised once per crossing and cleared when stock is back.</summary>
public static class StockRules
{
    /// <summary>What can still be reserved: on hand less what is reserved.</summary>
    public static int Available(int onHand, int reserved) => onHand - reserved;

    /// <summary>Below the threshold (a threshold of 0 means none).</summary>
    public static bool IsLow(int available, int threshold) => threshold > 0 && available < threshold;

    public static bool IsOut(int available) => available <= 0;

    /// <summary>Whether one order's lines can be reserved: each SKU's units against what is available, and the total
    /// against the distributor's capacity left today. Null when they can, else why not.</summary>
    public static Finding? CannotReserve(IEnumerable<(string Sku, int Quantity)> perSku, Func<string, int> available, int loadToday, int dailyCapacity)
    {
        var lines = perSku.ToList();
        var total = lines.Sum(l => l.Quantity);
        if (loadToday + total > dailyCapacity)
            return new DailyCapacityShort(Math.Max(0, dailyCapacity - loadToday), total);
        foreach (var (sku, quantity) in lines)
        {
            var left = available(sku);
            if (left < quantity) return new StockShort(sku, left, quantity);
        }
        return null;
    }

    /// <summary>A placement retried under the same order id may route differently and reserve here again: the
    /// reservation then covers both attempts (per SKU, the larger quantity), so whichever attempt's record becomes the
    /// order, its units are held. Returns the covering quantities and the growth over what is held, which must be
    /// reservable (<see cref="CannotReserve"/>) for the retry to succeed.</summary>
    public static (IReadOnlyList<(string Sku, int Quantity)> Covering, IReadOnlyList<(string Sku, int Quantity)> Growth) Widen(
        IEnumerable<(string Sku, int Quantity)> held, IEnumerable<(string Sku, int Quantity)> wanted)
    {
        var covering = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (sku, quantity) in held) covering[sku] = covering.GetValueOrDefault(sku) + quantity;
        var before = new Dictionary<string, int>(covering, StringComparer.Ordinal);
        var growth = new List<(string Sku, int Quantity)>();
        foreach (var (sku, quantity) in wanted.GroupBy(w => w.Sku, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(w => w.Quantity))))
        {
            var had = before.GetValueOrDefault(sku);
            if (quantity <= had) continue;
            covering[sku] = quantity;
            growth.Add((sku, quantity - had));
        }
        return ([.. covering.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, c.Value))], growth);
    }

    /// <summary>What a reservation keeps once its order's record is known: per SKU, no more than the order allocates at
    /// this distributor (never more than it holds: units it lacks are not reserved after the fact, which could oversell).</summary>
    public static IReadOnlyList<(string Sku, int Keep, int Excess)> Trim(
        IEnumerable<(string Sku, int Quantity)> held, IEnumerable<(string Sku, int Quantity)> allocated)
    {
        var allocatedBySku = allocated.GroupBy(a => a.Sku, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(a => a.Quantity), StringComparer.Ordinal);
        return [.. held.Select(h => (h.Sku, Keep: Math.Min(h.Quantity, allocatedBySku.GetValueOrDefault(h.Sku)), Excess: Math.Max(0, h.Quantity - allocatedBySku.GetValueOrDefault(h.Sku))))];
    }
}
