namespace Routing.Domain.Stages;

/// <summary>Stock and capacity still free while one plan is built, so a later unit cannot count units an earlier unit
/// of the same plan already took.</summary>
internal sealed class PlanLedger(DistributorSnapshot[] snapshots)
{
    private readonly int[] _capacityTaken = new int[snapshots.Length];
    private readonly Dictionary<(int, string), int> _stockTaken = [];

    public int Stock(int c, string sku) =>
        Math.Max(0, snapshots[c].Available(sku) - _stockTaken.GetValueOrDefault((c, sku)));

    public int Capacity(int c) => Math.Max(0, snapshots[c].CapacityLeft - _capacityTaken[c]);

    public int Usable(int c, string sku) => Math.Min(Stock(c, sku), Capacity(c));

    public bool CanFill(int c, Unit unit)
    {
        if (Capacity(c) < unit.Total) return false;
        for (var j = 0; j < unit.Skus.Length; j++)
            if (Stock(c, unit.Skus[j]) < unit.Quantities[j]) return false;
        return true;
    }

    public void Take(int c, string sku, int quantity)
    {
        _stockTaken[(c, sku)] = _stockTaken.GetValueOrDefault((c, sku)) + quantity;
        _capacityTaken[c] += quantity;
    }
}
