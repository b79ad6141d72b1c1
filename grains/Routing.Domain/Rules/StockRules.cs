namespace Routing.Domain.Rules;

/// <summary>Which stock alerts a level raises. An alert fires when available crosses below, not on every order: each
/// is raised once per crossing and cleared when stock is back.</summary>
public static class StockRules
{
    /// <summary>Below the threshold (a threshold of 0 means none).</summary>
    public static bool IsLow(int available, int threshold) => threshold > 0 && available < threshold;

    public static bool IsOut(int available) => available <= 0;

    /// <summary>Whether one order's lines can be reserved: each SKU's units against what is available, and the total
    /// against the distributor's capacity left today. Null when they can, else why not.</summary>
    public static string? CannotReserve(IEnumerable<(string Sku, int Quantity)> perSku, Func<string, int> available, int loadToday, int dailyCapacity)
    {
        var lines = perSku.ToList();
        var total = lines.Sum(l => l.Quantity);
        if (loadToday + total > dailyCapacity)
            return $"daily capacity left is {Math.Max(0, dailyCapacity - loadToday)}, order needs {total}";
        foreach (var (sku, quantity) in lines)
        {
            var left = available(sku);
            if (left < quantity) return $"{sku}: {left} available, order needs {quantity}";
        }
        return null;
    }
}
