namespace Routing.Domain.Rules;

/// <summary>Order review (订单审核): which rules an order breaks when it is placed, and when an undecided one is rejected.
/// An order that breaks none is allocated as usual; one that breaks any is reserved the same way but held (OnHold) until
/// ops approve or reject it.</summary>
public static class ReviewRules
{
    /// <summary>The holds an order of <paramref name="units"/> units worth <paramref name="amount"/> (null: it has no
    /// price, so the amount rule does not apply) gets; <paramref name="firstOrder"/> when its customer has no earlier order.</summary>
    public static IReadOnlyList<Hold> Holds(ReviewSettings rules, int units, decimal? amount, bool firstOrder, DateTimeOffset at)
    {
        var holds = new List<Hold>();
        if (rules.MaxUnits is { } maxUnits && units > maxUnits)
            holds.Add(new Hold(HoldKinds.MaxUnits, $"{units} units is more than the {maxUnits} an order may have without review", at));
        if (rules.MaxAmount is { } maxAmount && amount > maxAmount)
            holds.Add(new Hold(HoldKinds.MaxAmount, $"an amount of {amount} is more than the {maxAmount} an order may have without review", at));
        if (firstOrder && rules.FirstOrderMaxUnits is { } firstMax && units > firstMax)
            holds.Add(new Hold(HoldKinds.FirstOrder, $"a customer's first order of {units} units is more than the {firstMax} allowed without review", at));
        return holds;
    }

    /// <summary>When an order held at <paramref name="heldAt"/> is rejected if nobody decides first; null: it waits.</summary>
    public static DateTimeOffset? AutoRejectAt(ReviewSettings rules, DateTimeOffset heldAt) =>
        rules.AutoRejectAfterSeconds is { } seconds ? heldAt.AddSeconds(seconds) : null;
}
