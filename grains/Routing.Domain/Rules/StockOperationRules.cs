namespace Routing.Domain.Rules;

/// <summary>The rules of the stock operations besides orders (returns, transfers, stocktakes): plain arithmetic the
/// grains call, so each is written once and tested alone.</summary>
public static class StockOperationRules
{
    /// <summary>What can still come back of each SKU: shipped less what earlier returns asked for.</summary>
    public static Dictionary<string, int> Returnable(IEnumerable<(string Sku, int Quantity)> shipped, IEnumerable<(string Sku, int Quantity)> returned)
    {
        var left = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (sku, quantity) in shipped) left[sku] = left.GetValueOrDefault(sku) + quantity;
        foreach (var (sku, quantity) in returned) left[sku] = left.GetValueOrDefault(sku) - quantity;
        return left;
    }

    /// <summary>The first SKU of <paramref name="asked"/> beyond what is returnable, with what is left of it; null when all fit.</summary>
    public static (string Sku, int Left, int Asked)? Exceeding(IEnumerable<(string Sku, int Quantity)> asked, IReadOnlyDictionary<string, int> returnable)
    {
        foreach (var (sku, quantity) in asked)
        {
            var left = returnable.GetValueOrDefault(sku);
            if (quantity > left) return (sku, Math.Max(left, 0), quantity);
        }
        return null;
    }

    /// <summary>A stocktake line against today's stock: <paramref name="expected"/> was on hand when counted, so the
    /// difference is applied to today's on hand (movements after the count are kept). Not applied, and needing review,
    /// when that would take on hand below what is reserved now.</summary>
    public static (int Difference, int OnHandAfter, bool Applied) Stocktake(int counted, int expected, int onHand, int reserved)
    {
        var difference = counted - expected;
        var after = onHand + difference;
        return after < reserved ? (difference, onHand, false) : (difference, after, true);
    }

    /// <summary>A receipt fits its return when each SKU is in it and no more comes back than was asked for.</summary>
    public static bool ReceiptFits(IEnumerable<(string Sku, int Units)> received, IReadOnlyDictionary<string, int> asked) =>
        received.All(r => asked.TryGetValue(r.Sku, out var quantity) && r.Units <= quantity);

    /// <summary>SAP wins: the difference between SAP's on hand and ours, both as of the snapshot's time, is posted to
    /// today's on hand, but never below what is reserved now (a shortfall: only down to reserved is applied).</summary>
    public static (int Difference, int Applied, bool Shortfall) Reconcile(int sap, int ours, int onHand, int reserved)
    {
        var difference = sap - ours;
        return onHand + difference < reserved ? (difference, reserved - onHand, true) : (difference, difference, false);
    }
}
