using Routing.Domain.Explaining;

namespace Routing.Domain.Stages;

/// <summary>One routing pass over one version of the order's lines (as ordered, or with substitutes): eligibility by
/// stock, ranking, then the split policy's <see cref="Placer"/>. Holds what the pass has decided so far.</summary>
internal sealed class Attempt
{
    private readonly ExclusionReason?[] _exclusion;
    private readonly Finding?[] _notes;
    /// <summary>Under whole-order routing, what an excluded candidate lacks (several facts, so kept apart from the notes).</summary>
    private readonly Dictionary<int, Finding[]> _shortfalls = [];
    private readonly int[] _overallRank;
    private readonly List<(int Candidate, string Sku, int Quantity)> _taken = [];
    private readonly List<UnitFailure> _failures = [];

    private Attempt(IReadOnlyList<OrderLine> lines, CandidatePool pool, RoutingPolicy policy)
    {
        Lines = lines;
        Pool = pool;
        Policy = policy;
        Weights = policy.EffectiveWeights;
        _exclusion = new ExclusionReason?[pool.Count];
        _notes = new Finding?[pool.Count];
        _overallRank = new int[pool.Count];
        Ledger = new PlanLedger(pool.Snapshots);
    }

    public IReadOnlyList<OrderLine> Lines { get; }
    public CandidatePool Pool { get; }
    public RoutingPolicy Policy { get; }
    public RankingWeights Weights { get; }
    /// <summary>The order's SKUs in order of first appearance, and each one's total.</summary>
    public List<string> Skus { get; } = [];
    public Dictionary<string, int> SkuTotals { get; } = new(StringComparer.Ordinal);
    public int TotalUnits { get; private set; }
    /// <summary>Candidates that passed every eligibility rule, stock included.</summary>
    public List<int> Eligible { get; } = [];
    /// <summary>Per SKU, the most any eligible candidate has available (the stock factor's yardstick).</summary>
    public Dictionary<string, int> MaxAvailable { get; } = new(StringComparer.Ordinal);
    /// <summary>The ranking for the whole order.</summary>
    public Ranked[] Overall { get; private set; } = [];
    public PlanLedger Ledger { get; }
    public List<Finding> Decisions { get; } = [];

    public bool Succeeded => _failures.Count == 0;
    public string FailureReason => string.Join("; ", _failures.Select(f => new Unfillable(f.Unit, f.Cause).Reason));
    public IEnumerable<Finding> FailureDecisions => _failures.Select(f => new Unfillable(f.Unit, f.Cause, AsOrdered: true));

    public static Attempt Run(IReadOnlyList<OrderLine> lines, CandidatePool pool, RoutingPolicy policy)
    {
        var attempt = new Attempt(lines, pool, policy);
        attempt.Tally();
        attempt.DecideEligibility();
        attempt.Overall = attempt.RankFor(attempt.Skus);
        for (var i = 0; i < attempt.Overall.Length; i++) attempt._overallRank[attempt.Overall[i].Candidate] = i + 1;
        attempt.DescribeEligibility();
        attempt.Place();
        return attempt;
    }

    private void Tally()
    {
        foreach (var line in Lines)
        {
            if (SkuTotals.TryGetValue(line.Sku, out var sum)) SkuTotals[line.Sku] = sum + line.Quantity;
            else
            {
                Skus.Add(line.Sku);
                SkuTotals[line.Sku] = line.Quantity;
            }
            TotalUnits += line.Quantity;
        }
    }

    /// <summary>Eligibility, second stage: a candidate must hold some ordered SKU, and under whole-order routing all of
    /// them with the capacity for the whole order (the other policies judge each unit of work at placement).</summary>
    private void DecideEligibility()
    {
        for (var c = 0; c < Pool.Count; c++)
        {
            _exclusion[c] = Pool.Exclusion[c];
            _notes[c] = Pool.Notes[c];
            if (_exclusion[c] is not null) continue;

            var d = Pool.Snapshots[c];
            if (!HoldsAnyOrderedSku(d))
            {
                _exclusion[c] = ExclusionReason.OutOfStock;
                _notes[c] = new NotInStock([.. Skus]);
                continue;
            }
            if (Policy.Split == SplitPolicy.WholeOrder && WholeOrderShortfall(d) is { } shortfall)
            {
                _exclusion[c] = ExclusionReason.InsufficientStock;
                _notes[c] = null;
                _shortfalls[c] = [.. shortfall];
                continue;
            }
            Eligible.Add(c);
        }

        foreach (var sku in Skus)
        {
            var max = 0;
            foreach (var c in Eligible) max = Math.Max(max, Pool.Snapshots[c].Available(sku));
            MaxAvailable[sku] = max;
        }
    }

    // Arrays, so the stored explanation names no collection type per candidate.
    private Finding[] NotesOf(int c) =>
        _shortfalls.TryGetValue(c, out var gaps) ? gaps : _notes[c] is { } note ? [note] : [];

    private bool HoldsAnyOrderedSku(DistributorSnapshot d)
    {
        foreach (var sku in Skus)
            if (d.Available(sku) > 0) return true;
        return false;
    }

    private List<Finding>? WholeOrderShortfall(DistributorSnapshot d)
    {
        List<Finding>? gaps = null;
        foreach (var sku in Skus)
        {
            var have = Math.Max(0, d.Available(sku));
            if (have < SkuTotals[sku]) (gaps ??= []).Add(new HoldsTooFew(sku, have, SkuTotals[sku]));
        }
        if (d.CapacityLeft < TotalUnits) (gaps ??= []).Add(new CapacityTooSmall(d.CapacityLeft, TotalUnits));
        return gaps;
    }

    private void DescribeEligibility()
    {
        Decisions.Add(new CandidatesEligible(Eligible.Count, Pool.Count, Weights));
        if (!Policy.HomeFirst || Pool.HomeId is null) return;
        if (Pool.Home < 0) Decisions.Add(new HomeNotCandidate(Pool.HomeId));
        else if (_exclusion[Pool.Home] is { } reason) Decisions.Add(new HomeExcluded(Pool.HomeId, reason, NotesOf(Pool.Home)));
    }

    private void Place()
    {
        if (Pool.Count == 0)
        {
            Fail(WorkUnit.WholeOrder, new NoCandidates(), []);
            return;
        }
        if (!Pool.AnyEligibleExceptStock())
        {
            Fail(WorkUnit.WholeOrder, Diagnosis.NoneEligible(_exclusion), []);
            return;
        }
        Placer.For(this).Place();
    }

    /// <summary>The home distributor, when home first applies and it is eligible; -1 otherwise.</summary>
    public int HomeFirstCandidate =>
        Policy.HomeFirst && Pool.Home >= 0 && _exclusion[Pool.Home] is null ? Pool.Home : -1;

    /// <summary>The eligible candidates ranked for a unit of work's SKUs.</summary>
    public Ranked[] RankFor(IReadOnlyList<string> skus) =>
        Ranking.Rank(Eligible, Pool.Snapshots, Pool.DistanceKm, skus, MaxAvailable, Weights);

    public void Take(int c, string sku, int quantity)
    {
        Ledger.Take(c, sku, quantity);
        _taken.Add((c, sku, quantity));
    }

    public void Fail(WorkUnit unit, Finding cause, List<int> shortLines)
    {
        _failures.Add(new UnitFailure(unit, cause, shortLines));
        Decisions.Add(new Unfillable(unit, cause));
    }

    public string Id(int c) => Pool.Snapshots[c].Id;

    /// <summary>The unfillable SKUs a substitute could fix, in order of first appearance, with the lines to replace.</summary>
    public List<ShortSku> ShortSkus()
    {
        var lineSet = new SortedSet<int>();
        foreach (var f in _failures) lineSet.UnionWith(f.ShortLines);
        var result = new List<ShortSku>();
        foreach (var line in lineSet)
        {
            var sku = Lines[line].Sku;
            var existing = result.FindIndex(s => string.Equals(s.Sku, sku, StringComparison.Ordinal));
            if (existing < 0) result.Add(new ShortSku(sku, Lines[line].Quantity, [line]));
            else
            {
                result[existing].Lines.Add(line);
                result[existing] = result[existing] with { Quantity = result[existing].Quantity + Lines[line].Quantity };
            }
        }
        return result;
    }

    /// <summary>Merged per (distributor, SKU), ordered by the SKU's first line, then by the distributor's overall rank.</summary>
    public IReadOnlyList<Allocation> Allocations()
    {
        if (!Succeeded) return [];
        var merged = new List<(int Candidate, string Sku, int Quantity)>();
        var index = new Dictionary<(int, string), int>();
        foreach (var t in _taken)
        {
            if (index.TryGetValue((t.Candidate, t.Sku), out var i))
                merged[i] = merged[i] with { Quantity = merged[i].Quantity + t.Quantity };
            else
            {
                index[(t.Candidate, t.Sku)] = merged.Count;
                merged.Add(t);
            }
        }
        merged.Sort((a, b) =>
        {
            var bySku = Skus.IndexOf(a.Sku).CompareTo(Skus.IndexOf(b.Sku));
            return bySku != 0 ? bySku : _overallRank[a.Candidate].CompareTo(_overallRank[b.Candidate]);
        });
        var result = new Allocation[merged.Count];
        for (var i = 0; i < result.Length; i++)
            result[i] = new Allocation(Id(merged[i].Candidate), merged[i].Sku, merged[i].Quantity);
        return result;
    }

    /// <summary>Every candidate: the ranked ones best first (scored for the whole order), then the excluded ones by id.</summary>
    public IReadOnlyList<CandidateReport> Reports()
    {
        var reports = new CandidateReport[Pool.Count];
        var n = 0;
        for (var i = 0; i < Overall.Length; i++)
        {
            var c = Overall[i].Candidate;
            reports[n++] = new CandidateReport(Id(c), null, NotesOf(c), Overall[i].Score, i + 1, Km(c), c == Pool.Home);
        }
        for (var c = 0; c < Pool.Count; c++)
        {
            if (_exclusion[c] is not null)
                reports[n++] = new CandidateReport(Id(c), _exclusion[c], NotesOf(c), null, null, Km(c), c == Pool.Home);
        }
        return reports;
    }

    private double Km(int c) => CandidatePool.Round(Pool.DistanceKm[c]);

    /// <summary>A unit of work that could not be placed: its cause and the lines a substitute would replace.</summary>
    private sealed record UnitFailure(WorkUnit Unit, Finding Cause, List<int> ShortLines);
}

/// <summary>An SKU that no eligible distributor (or, under split quantity, no allowed set of them) holds in the
/// quantity ordered, with the order lines a substitute would replace.</summary>
internal sealed record ShortSku(string Sku, int Quantity, List<int> Lines);
