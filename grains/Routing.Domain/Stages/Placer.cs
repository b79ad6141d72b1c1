using Routing.Domain.Explaining;

namespace Routing.Domain.Stages;

/// <summary>Placement: one placer per split policy puts the order's units of work with the ranked eligible candidates,
/// taking from the plan's <see cref="PlanLedger"/> so a later unit cannot count stock an earlier one took.</summary>
internal abstract class Placer(Attempt attempt)
{
    protected Attempt Attempt { get; } = attempt;

    public static Placer For(Attempt attempt) => attempt.Policy.Split switch
    {
        SplitPolicy.WholeOrder => new WholeOrderPlacer(attempt),
        SplitPolicy.ByLineGroup => new LineGroupPlacer(attempt),
        SplitPolicy.SplitQuantity => new SplitQuantityPlacer(attempt),
    };

    public abstract void Place();

    /// <summary>One distributor takes the whole unit: home first when the policy says so, else the best-ranked
    /// one that can still fill it after the units placed before it.</summary>
    protected bool TryOneDistributor(Unit unit, Ranked[] ranking)
    {
        var home = Attempt.HomeFirstCandidate;
        if (home >= 0 && Attempt.Ledger.CanFill(home, unit))
        {
            TakeAll(home, unit);
            Attempt.Decisions.Add(new HomeFills(unit.Ref, Attempt.Id(home), StandingOf(ranking, home)));
            return true;
        }
        for (var i = 0; i < ranking.Length; i++)
        {
            var c = ranking[i].Candidate;
            if (!Attempt.Ledger.CanFill(c, unit)) continue;
            TakeAll(c, unit);
            Attempt.Decisions.Add(new Assigned(unit.Ref, Attempt.Id(c), StandingOf(ranking, c), PassedOver: i));
            return true;
        }
        return false;
    }

    /// <summary>Places the unit with one distributor, or records why none can take it.</summary>
    protected void PlaceWhole(Unit unit, Ranked[] ranking)
    {
        if (TryOneDistributor(unit, ranking)) return;
        var (cause, shortLines) = Diagnosis.Whole(Attempt, unit);
        Attempt.Fail(unit.Ref, cause, shortLines);
    }

    private void TakeAll(int c, Unit unit)
    {
        for (var j = 0; j < unit.Skus.Length; j++) Attempt.Take(c, unit.Skus[j], unit.Quantities[j]);
    }

    protected static Standing StandingOf(Ranked[] ranking, int c)
    {
        for (var i = 0; i < ranking.Length; i++)
            if (ranking[i].Candidate == c) return new Standing(i + 1, ranking[i].Score);
        return new Standing(null, null);
    }
}

/// <summary>整单: one distributor fills every line.</summary>
internal sealed class WholeOrderPlacer(Attempt attempt) : Placer(attempt)
{
    public override void Place()
    {
        var all = new int[Attempt.Lines.Count];
        for (var i = 0; i < all.Length; i++) all[i] = i;
        PlaceWhole(Unit.Of(WorkUnit.WholeOrder, all, Attempt.Lines), Attempt.Overall);
    }
}

/// <summary>分组: the lines of a group stay together (a line without a group is a group of its own); groups in order of
/// first appearance, each ranked for its own SKUs.</summary>
internal sealed class LineGroupPlacer(Attempt attempt) : Placer(attempt)
{
    public override void Place()
    {
        foreach (var unit in Groups()) PlaceWhole(unit, Attempt.RankFor(unit.Skus));
    }

    private List<Unit> Groups()
    {
        var lines = Attempt.Lines;
        var members = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<(string? Group, int Line)>();
        for (var i = 0; i < lines.Count; i++)
        {
            var group = lines[i].Group;
            if (group is null) order.Add((null, i));
            else if (members.TryGetValue(group, out var list)) list.Add(i);
            else
            {
                members[group] = [i];
                order.Add((group, i));
            }
        }
        return [.. order.Select(o => o.Group is null
            ? Unit.Of(new WorkUnit(WorkUnitKind.Line, Line: o.Line + 1, Sku: lines[o.Line].Sku), [o.Line], lines)
            : Unit.Of(new WorkUnit(WorkUnitKind.Group, Group: o.Group), [.. members[o.Group]], lines))];
    }
}

/// <summary>A line goes to one distributor when any can take it all (a split costs an extra shipment); otherwise it is
/// split greedily by rank, and if that needs more than <see cref="RoutingPolicy.MaxSplits"/> distributors, by stock,
/// which uses the fewest distributors possible.</summary>
internal sealed class SplitQuantityPlacer(Attempt attempt) : Placer(attempt)
{
    public override void Place()
    {
        var lines = Attempt.Lines;
        for (var i = 0; i < lines.Count; i++)
        {
            var unit = Unit.Of(new WorkUnit(WorkUnitKind.Line, Line: i + 1, Sku: lines[i].Sku, Quantity: lines[i].Quantity), [i], lines);
            PlaceLine(unit, Attempt.RankFor(unit.Skus));
        }
    }

    private void PlaceLine(Unit unit, Ranked[] ranking)
    {
        if (TryOneDistributor(unit, ranking)) return;

        var sku = unit.Skus[0];
        var maxSplits = Math.Max(1, Attempt.Policy.MaxSplits);
        var byStock = false;
        var parts = Greedy(ranking, sku, unit.Total, maxSplits);
        if (parts is null)
        {
            byStock = true;
            parts = Greedy(ByUsableStock(ranking, sku), sku, unit.Total, maxSplits);
        }
        if (parts is null)
        {
            var (cause, shortLines) = Diagnosis.Line(Attempt, unit, maxSplits);
            Attempt.Fail(unit.Ref, cause, shortLines);
            return;
        }

        var described = new List<SplitPart>(parts.Count);
        foreach (var (c, quantity) in parts)
        {
            Attempt.Take(c, sku, quantity);
            described.Add(new SplitPart(Attempt.Id(c), quantity, StandingOf(ranking, c)));
        }
        Attempt.Decisions.Add(new SplitAcross(unit.Ref, byStock, described));
    }

    private List<(int Candidate, int Quantity)>? Greedy(Ranked[] order, string sku, int quantity, int maxSplits)
    {
        var parts = new List<(int, int)>(maxSplits);
        var remaining = quantity;
        foreach (var r in order)
        {
            var take = Math.Min(remaining, Attempt.Ledger.Usable(r.Candidate, sku));
            if (take <= 0) continue;
            if (parts.Count == maxSplits) return null;
            parts.Add((r.Candidate, take));
            remaining -= take;
            if (remaining == 0) return parts;
        }
        return null;
    }

    private Ranked[] ByUsableStock(Ranked[] ranking, string sku)
    {
        var keyed = new (Ranked R, int Usable, int Position)[ranking.Length];
        for (var i = 0; i < ranking.Length; i++)
            keyed[i] = (ranking[i], Attempt.Ledger.Usable(ranking[i].Candidate, sku), i);
        Array.Sort(keyed, static (a, b) => a.Usable != b.Usable ? b.Usable.CompareTo(a.Usable) : a.Position.CompareTo(b.Position));
        var ordered = new Ranked[keyed.Length];
        for (var i = 0; i < keyed.Length; i++) ordered[i] = keyed[i].R;
        return ordered;
    }
}

/// <summary>A unit of work placed as one piece (the whole order, a line group, or a line): its lines, and its SKUs with
/// their quantities in order of first appearance.</summary>
internal sealed record Unit(WorkUnit Ref, int[] Lines, string[] Skus, int[] Quantities, int Total)
{
    public static Unit Of(WorkUnit unit, int[] members, IReadOnlyList<OrderLine> lines)
    {
        var skus = new List<string>();
        var quantities = new List<int>();
        var total = 0;
        foreach (var i in members)
        {
            var at = skus.IndexOf(lines[i].Sku);
            if (at < 0)
            {
                skus.Add(lines[i].Sku);
                quantities.Add(lines[i].Quantity);
            }
            else quantities[at] += lines[i].Quantity;
            total += lines[i].Quantity;
        }
        return new Unit(unit, members, [.. skus], [.. quantities], total);
    }
}
