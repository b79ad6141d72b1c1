using static System.FormattableString;

namespace Routing.Domain;

/// <summary>Routes one order: candidates' snapshots + order + policy → allocation plan with its explanation.
/// Pure and deterministic: no clock, no randomness, no I/O, and the candidates' input order does not matter.</summary>
public static class Router
{
    // Bounds the auto-substitution search (every combination of the unfillable SKUs' in-stock substitutes),
    // so a catalog with long substitute lists cannot turn one order into hundreds of routing passes.
    private const int MaxSubstitutionAttempts = 64;

    /// <summary>Places the whole order or nothing: the plan is either <see cref="RoutingOutcome.Allocated"/> with
    /// every unit allocated, or carries no allocations and says why.</summary>
    /// <exception cref="ArgumentException">The order has no lines, a line's quantity is not positive, or two
    /// candidates share an id.</exception>
    public static AllocationPlan Route(RouteRequest request, IReadOnlyList<DistributorSnapshot> candidates, RoutingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(policy);
        ValidateLines(request.Lines, nameof(request));

        var pool = CandidatePool.Create(request, candidates, policy, nameof(candidates));
        var attempt = Attempt.Run(request.Lines, pool, policy);
        return attempt.Succeeded
            ? Plan(RoutingOutcome.Allocated, attempt, [], [], null, attempt.Decisions, policy)
            : Fallback(request, pool, policy, attempt);
    }

    private static void ValidateLines(IReadOnlyList<OrderLine> lines, string paramName)
    {
        if (lines is null || lines.Count == 0)
            throw new ArgumentException("The order has no lines.", paramName);
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Quantity <= 0)
                throw new ArgumentException(
                    Invariant($"Line {i + 1} ({lines[i].Sku}) has quantity {lines[i].Quantity}; quantities must be positive."),
                    paramName);
        }
    }

    private static AllocationPlan Fallback(RouteRequest request, CandidatePool pool, RoutingPolicy policy, Attempt failed)
    {
        var decisions = new List<string>(failed.Decisions);
        var targets = failed.ShortSkus();
        if (targets.Count > 0 && (policy.SuggestSubstitutes || policy.AutoSubstitute))
        {
            var offers = new List<SubstituteSuggestion>[targets.Count];
            for (var i = 0; i < targets.Count; i++)
            {
                offers[i] = InStockSubstitutes(targets[i].Sku, request.Substitutes, pool);
                if (offers[i].Count == 0)
                    decisions.Add(Invariant($"{targets[i].Sku}: no substitute is in stock nearby"));
            }

            if (policy.AutoSubstitute)
            {
                var substituted = TryAutoSubstitute(request, pool, policy, failed, targets, offers);
                if (substituted is not null) return substituted;
                decisions.Add("auto-substitution: no combination of in-stock substitutes makes the order fillable");
            }

            if (policy.SuggestSubstitutes && Suggestions(targets, offers, decisions) is { } suggestions)
            {
                var reason = Invariant($"{failed.FailureReason}; substitutes in stock nearby are suggested");
                return Plan(RoutingOutcome.AwaitingSubstitution, failed, [], suggestions, reason, decisions, policy);
            }
        }

        var (outcome, words) = policy.Fallback switch
        {
            FallbackAction.Reject => (RoutingOutcome.Rejected, "rejected"),
            FallbackAction.Backorder => (RoutingOutcome.Backorder, "backordered until stock arrives"),
            FallbackAction.ManualReview => (RoutingOutcome.ManualReview, "sent to manual review"),
            _ => throw new ArgumentOutOfRangeException(nameof(policy), policy.Fallback, "Unknown fallback action."),
        };
        decisions.Add("fallback: " + words);
        return Plan(outcome, failed, [], [], failed.FailureReason, decisions, policy);
    }

    /// <summary>"In stock nearby" means held by candidates that pass every eligibility rule except stock.</summary>
    private static List<SubstituteSuggestion> InStockSubstitutes(
        string sku, IReadOnlyDictionary<string, IReadOnlyList<string>>? catalog, CandidatePool pool)
    {
        var offers = new List<SubstituteSuggestion>();
        if (catalog is null || !catalog.TryGetValue(sku, out var ranked)) return offers;
        for (var r = 0; r < ranked.Count; r++)
        {
            var substitute = ranked[r];
            if (string.Equals(substitute, sku, StringComparison.Ordinal) || Offered(offers, substitute)) continue;
            var nearby = pool.AvailableNearby(substitute);
            // Rank is the catalog's rank (1-based), so it still means the same thing when better ones are out of stock.
            if (nearby > 0) offers.Add(new SubstituteSuggestion(sku, substitute, r + 1, nearby));
        }
        return offers;
    }

    private static bool Offered(List<SubstituteSuggestion> offers, string substitute)
    {
        foreach (var o in offers)
            if (string.Equals(o.SubstituteSku, substitute, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>Tries substitute combinations in catalog-rank order (the earliest unfillable SKU keeps its best
    /// substitute longest); the first combination that makes the whole order fillable wins.</summary>
    private static AllocationPlan? TryAutoSubstitute(
        RouteRequest request, CandidatePool pool, RoutingPolicy policy, Attempt failed,
        List<ShortSku> targets, List<SubstituteSuggestion>[] offers)
    {
        foreach (var o in offers)
            if (o.Count == 0) return null;

        var choice = new int[targets.Count];
        for (var tries = 0; tries < MaxSubstitutionAttempts; tries++)
        {
            var lines = Substitute(request.Lines, targets, offers, choice);
            var trial = Attempt.Run(lines, pool, policy);
            if (trial.Succeeded)
            {
                var decisions = new List<string>(failed.FailureDecisions);
                var substitutions = new Substitution[targets.Count];
                for (var i = 0; i < targets.Count; i++)
                {
                    var used = offers[i][choice[i]].SubstituteSku;
                    substitutions[i] = new Substitution(targets[i].Sku, used, targets[i].Quantity);
                    decisions.Add(Invariant($"{targets[i].Sku} unfillable; substitute {used} used"));
                }
                decisions.AddRange(trial.Decisions);
                return Plan(RoutingOutcome.Allocated, trial, substitutions, [], null, decisions, policy);
            }

            var k = targets.Count - 1;
            while (k >= 0 && ++choice[k] == offers[k].Count)
            {
                choice[k] = 0;
                k--;
            }
            if (k < 0) break;
        }
        return null;
    }

    private static OrderLine[] Substitute(
        IReadOnlyList<OrderLine> lines, List<ShortSku> targets, List<SubstituteSuggestion>[] offers, int[] choice)
    {
        var result = new OrderLine[lines.Count];
        for (var i = 0; i < lines.Count; i++) result[i] = lines[i];
        for (var t = 0; t < targets.Count; t++)
        {
            var substitute = offers[t][choice[t]].SubstituteSku;
            foreach (var line in targets[t].Lines)
                result[line] = result[line] with { Sku = substitute };
        }
        return result;
    }

    /// <summary>Waiting for the customer only makes sense if accepting the suggestions could fill the order, so
    /// every unfillable SKU needs a substitute with at least the ordered quantity nearby; null otherwise.</summary>
    private static List<SubstituteSuggestion>? Suggestions(
        List<ShortSku> targets, List<SubstituteSuggestion>[] offers, List<string> decisions)
    {
        var suggestions = new List<SubstituteSuggestion>();
        var complete = true;
        for (var t = 0; t < targets.Count; t++)
        {
            var named = new List<string>();
            foreach (var o in offers[t])
            {
                if (o.AvailableNearby < targets[t].Quantity) continue;
                suggestions.Add(o);
                named.Add(Invariant($"{o.SubstituteSku} ({o.AvailableNearby} nearby)"));
            }
            if (named.Count > 0)
                decisions.Add(Invariant($"{targets[t].Sku} unfillable; substitutes suggested: {string.Join(", ", named)}"));
            else
            {
                complete = false;
                if (offers[t].Count > 0)
                    decisions.Add(Invariant($"{targets[t].Sku}: no substitute has {targets[t].Quantity} units in stock nearby"));
            }
        }
        return complete ? suggestions : null;
    }

    private static AllocationPlan Plan(
        RoutingOutcome outcome, Attempt attempt, IReadOnlyList<Substitution> substitutions,
        IReadOnlyList<SubstituteSuggestion> suggestions, string? reason, List<string> decisions, RoutingPolicy policy)
    {
        var allocations = outcome == RoutingOutcome.Allocated ? attempt.Allocations() : [];
        var explanation = new RoutingExplanation(policy.Id, policy.Split, attempt.Reports(), decisions);
        return new AllocationPlan(outcome, allocations, substitutions, suggestions, reason, explanation);
    }
}

/// <summary>An SKU that no eligible distributor (or, under split quantity, no allowed set of them) holds in the
/// quantity ordered, with the order lines a substitute would replace.</summary>
internal sealed record ShortSku(string Sku, int Quantity, List<int> Lines);

/// <summary>The candidates in ordinal id order, with the eligibility rules that do not depend on the order's
/// SKUs already applied (active, participating, territory or distance, capacity).</summary>
internal sealed class CandidatePool
{
    private CandidatePool(DistributorSnapshot[] snapshots)
    {
        Snapshots = snapshots;
        DistanceKm = new double[snapshots.Length];
        Exclusion = new ExclusionReason?[snapshots.Length];
        Detail = new string?[snapshots.Length];
    }

    public DistributorSnapshot[] Snapshots { get; }
    public double[] DistanceKm { get; }
    public ExclusionReason?[] Exclusion { get; }
    public string?[] Detail { get; }
    public string? HomeId { get; private set; }
    /// <summary>Index of the home distributor, -1 when there is none among the candidates.</summary>
    public int Home { get; private set; } = -1;
    public int Count => Snapshots.Length;

    public static CandidatePool Create(
        RouteRequest request, IReadOnlyList<DistributorSnapshot> candidates, RoutingPolicy policy, string paramName)
    {
        var snapshots = new DistributorSnapshot[candidates.Count];
        for (var i = 0; i < snapshots.Length; i++)
            snapshots[i] = candidates[i] ?? throw new ArgumentException("A candidate is null.", paramName);
        // Sorting by id up front is what makes the plan independent of the order candidates arrive in.
        Array.Sort(snapshots, static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        for (var i = 1; i < snapshots.Length; i++)
        {
            if (string.Equals(snapshots[i - 1].Id, snapshots[i].Id, StringComparison.Ordinal))
                throw new ArgumentException(Invariant($"Distributor {snapshots[i].Id} appears twice among the candidates."), paramName);
        }

        var pool = new CandidatePool(snapshots) { HomeId = request.HomeDistributorId };
        for (var c = 0; c < snapshots.Length; c++)
        {
            var d = snapshots[c];
            pool.DistanceKm[c] = request.Location.DistanceKmTo(d.Location);
            (pool.Exclusion[c], pool.Detail[c]) = Check(d, pool.DistanceKm[c], request, policy);
            if (string.Equals(d.Id, request.HomeDistributorId, StringComparison.Ordinal)) pool.Home = c;
        }
        return pool;
    }

    private static (ExclusionReason?, string?) Check(DistributorSnapshot d, double km, RouteRequest request, RoutingPolicy policy)
    {
        if (!d.Active)
            return (ExclusionReason.Inactive, "inactive");
        if (request.Participants is { } participants && !participants.Contains(d.Id))
            return (ExclusionReason.NotParticipating, "not taking part in this campaign");

        string? detail = null;
        if (!RegionCodes.AnyCovers(d.Regions, request.Region))
        {
            var territory = d.Regions.Count == 0 ? "no territory" : "territory " + string.Join(", ", d.Regions);
            if (policy.MaxDistanceKm is not { } max)
                return (ExclusionReason.OutsideTerritory, Invariant($"{territory} does not cover {request.Region}"));
            if (km > max)
                return (ExclusionReason.OutsideTerritory,
                    Invariant($"{territory} does not cover {request.Region} and {km:0.#} km exceeds the {max:0.#} km limit"));
            // Kept on eligible candidates too: being served from outside the territory deserves a word.
            detail = Invariant($"outside its territory but within {max:0.#} km ({km:0.#} km)");
        }

        if (d.CapacityLeft <= 0)
            return (ExclusionReason.CapacityExhausted,
                Invariant($"no capacity left today ({d.LoadToday} of {d.DailyCapacity} units booked)"));
        return (null, detail);
    }

    /// <summary>Passes every rule but stock.</summary>
    public bool IsEligibleExceptStock(int c) => Exclusion[c] is null;

    public int AvailableNearby(string sku)
    {
        long sum = 0;
        for (var c = 0; c < Snapshots.Length; c++)
            if (Exclusion[c] is null) sum += Math.Max(0, Snapshots[c].Available(sku));
        return (int)Math.Min(int.MaxValue, sum);
    }
}

/// <summary>One routing pass over one version of the order's lines (as ordered, or with substitutes): stock
/// eligibility, ranking and placement under the split policy.</summary>
internal sealed class Attempt
{
    private readonly IReadOnlyList<OrderLine> lines;
    private readonly CandidatePool pool;
    private readonly RoutingPolicy policy;
    private readonly RankingWeights weights;
    private readonly List<string> skus = [];
    private readonly Dictionary<string, int> skuTotals = new(StringComparer.Ordinal);
    private readonly ExclusionReason?[] exclusion;
    private readonly string?[] detail;
    private readonly List<int> eligible = [];
    private readonly Dictionary<string, int> maxAvailable = new(StringComparer.Ordinal);
    private readonly int[] overallRank;
    private Ranked[] overall = [];
    private readonly Ledger ledger;
    private readonly List<(int Candidate, string Sku, int Quantity)> taken = [];
    private readonly List<UnitFailure> failures = [];
    private int totalUnits;

    private Attempt(IReadOnlyList<OrderLine> lines, CandidatePool pool, RoutingPolicy policy)
    {
        this.lines = lines;
        this.pool = pool;
        this.policy = policy;
        weights = policy.EffectiveWeights;
        exclusion = new ExclusionReason?[pool.Count];
        detail = new string?[pool.Count];
        overallRank = new int[pool.Count];
        ledger = new Ledger(pool.Snapshots);
    }

    public List<string> Decisions { get; } = [];
    public bool Succeeded => failures.Count == 0;
    public string FailureReason => string.Join("; ", failures.Select(f => f.Reason));
    public IEnumerable<string> FailureDecisions => failures.Select(f => "as ordered, " + f.Decision);

    public static Attempt Run(IReadOnlyList<OrderLine> lines, CandidatePool pool, RoutingPolicy policy)
    {
        var attempt = new Attempt(lines, pool, policy);
        attempt.Tally();
        attempt.DecideEligibility();
        attempt.overall = Ranking.Rank(attempt.eligible, pool.Snapshots, pool.DistanceKm, attempt.skus, attempt.maxAvailable, attempt.weights);
        for (var i = 0; i < attempt.overall.Length; i++) attempt.overallRank[attempt.overall[i].Candidate] = i + 1;
        attempt.DescribeEligibility();
        attempt.Place();
        return attempt;
    }

    private void Tally()
    {
        foreach (var line in lines)
        {
            if (skuTotals.TryGetValue(line.Sku, out var sum)) skuTotals[line.Sku] = sum + line.Quantity;
            else
            {
                skus.Add(line.Sku);
                skuTotals[line.Sku] = line.Quantity;
            }
            totalUnits += line.Quantity;
        }
    }

    private void DecideEligibility()
    {
        for (var c = 0; c < pool.Count; c++)
        {
            exclusion[c] = pool.Exclusion[c];
            detail[c] = pool.Detail[c];
            if (exclusion[c] is not null) continue;

            var d = pool.Snapshots[c];
            if (!HoldsAnyOrderedSku(d))
            {
                exclusion[c] = ExclusionReason.OutOfStock;
                detail[c] = skus.Count == 1
                    ? Invariant($"{skus[0]} not in stock")
                    : Invariant($"none of {string.Join(", ", skus)} in stock");
                continue;
            }
            // Only whole-order routing needs one distributor to hold everything; the other policies judge
            // each unit of work at placement time.
            if (policy.Split == SplitPolicy.WholeOrder && WholeOrderShortfall(d) is { } shortfall)
            {
                exclusion[c] = ExclusionReason.InsufficientStock;
                detail[c] = "cannot fill the whole order: " + shortfall;
                continue;
            }
            eligible.Add(c);
        }

        foreach (var sku in skus)
        {
            var max = 0;
            foreach (var c in eligible) max = Math.Max(max, pool.Snapshots[c].Available(sku));
            maxAvailable[sku] = max;
        }
    }

    private bool HoldsAnyOrderedSku(DistributorSnapshot d)
    {
        foreach (var sku in skus)
            if (d.Available(sku) > 0) return true;
        return false;
    }

    private string? WholeOrderShortfall(DistributorSnapshot d)
    {
        List<string>? gaps = null;
        foreach (var sku in skus)
        {
            var have = Math.Max(0, d.Available(sku));
            if (have < skuTotals[sku]) (gaps ??= []).Add(Invariant($"has {have} of {skuTotals[sku]} {sku}"));
        }
        if (d.CapacityLeft < totalUnits)
            (gaps ??= []).Add(Invariant($"capacity for {d.CapacityLeft} of {totalUnits} units left today"));
        return gaps is null ? null : string.Join("; ", gaps);
    }

    private void DescribeEligibility()
    {
        Decisions.Add(Invariant(
            $"{eligible.Count} of {pool.Count} candidates eligible; score weights priority {weights.Priority:0.####}, distance {weights.Distance:0.####}, stock {weights.Stock:0.####}, load {weights.Load:0.####}"));
        if (!policy.HomeFirst || pool.HomeId is null) return;
        if (pool.Home < 0)
            Decisions.Add(Invariant($"home distributor {pool.HomeId} is not among the candidates"));
        else if (exclusion[pool.Home] is { } reason)
            Decisions.Add(Invariant($"home distributor {pool.HomeId} excluded ({reason}): {detail[pool.Home]}"));
    }

    private int HomeFirstCandidate =>
        policy.HomeFirst && pool.Home >= 0 && exclusion[pool.Home] is null ? pool.Home : -1;

    private void Place()
    {
        if (pool.Count == 0)
        {
            failures.Add(new UnitFailure(null, "no candidate distributors", []));
            Decisions.Add("order unfillable: no candidate distributors");
            return;
        }
        if (!AnyEligibleExceptStock())
        {
            var why = ExclusionSummary();
            failures.Add(new UnitFailure(null, why, []));
            Decisions.Add("order unfillable: " + why);
            return;
        }

        switch (policy.Split)
        {
            case SplitPolicy.WholeOrder:
                PlaceWhole(Unit.Of("the whole order", null, AllLines(), lines), overall);
                break;
            case SplitPolicy.ByLineGroup:
                foreach (var unit in Groups()) PlaceWhole(unit, RankFor(unit));
                break;
            case SplitPolicy.SplitQuantity:
                for (var i = 0; i < lines.Count; i++)
                {
                    var label = Invariant($"line {i + 1} ({lines[i].Quantity} × {lines[i].Sku})");
                    var unit = Unit.Of(label, label, [i], lines);
                    PlaceLine(unit, RankFor(unit));
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(policy), policy.Split, "Unknown split policy.");
        }
    }

    private bool AnyEligibleExceptStock()
    {
        for (var c = 0; c < pool.Count; c++)
            if (pool.IsEligibleExceptStock(c)) return true;
        return false;
    }

    private string ExclusionSummary()
    {
        var parts = new List<string>();
        foreach (var reason in Enum.GetValues<ExclusionReason>())
        {
            var n = 0;
            for (var c = 0; c < pool.Count; c++)
                if (exclusion[c] == reason) n++;
            if (n > 0) parts.Add(Invariant($"{n} {Words(reason)}"));
        }
        var noun = pool.Count == 1 ? "candidate" : "candidates";
        return Invariant($"no eligible distributor among {pool.Count} {noun} ({string.Join(", ", parts)})");
    }

    private static string Words(ExclusionReason reason) => reason switch
    {
        ExclusionReason.Inactive => "inactive",
        ExclusionReason.NotParticipating => "not participating",
        ExclusionReason.OutsideTerritory => "outside territory",
        ExclusionReason.CapacityExhausted => "capacity exhausted",
        ExclusionReason.OutOfStock => "out of stock",
        ExclusionReason.InsufficientStock => "insufficient stock",
    };

    private int[] AllLines()
    {
        var all = new int[lines.Count];
        for (var i = 0; i < all.Length; i++) all[i] = i;
        return all;
    }

    /// <summary>Groups in order of first appearance; a line without a group is a group of its own.</summary>
    private List<Unit> Groups()
    {
        var units = new List<Unit>();
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
        foreach (var (group, line) in order)
        {
            var label = group is null
                ? Invariant($"line {line + 1} ({lines[line].Sku})")
                : Invariant($"group '{group}'");
            units.Add(Unit.Of(label, label, group is null ? [line] : [.. members[group]], lines));
        }
        return units;
    }

    private Ranked[] RankFor(Unit unit) =>
        Ranking.Rank(eligible, pool.Snapshots, pool.DistanceKm, unit.Skus, maxAvailable, weights);

    private void PlaceWhole(Unit unit, Ranked[] ranking)
    {
        if (!TryOneDistributor(unit, ranking)) Fail(unit, DiagnoseWhole(unit));
    }

    /// <summary>A line goes to one distributor when any can take it all (a split costs an extra shipment);
    /// otherwise it is split greedily by rank, and if that needs too many distributors, by stock, which uses
    /// the fewest distributors possible.</summary>
    private void PlaceLine(Unit unit, Ranked[] ranking)
    {
        if (TryOneDistributor(unit, ranking)) return;

        var sku = unit.Skus[0];
        var maxSplits = Math.Max(1, policy.MaxSplits);
        var how = "by rank";
        var parts = Greedy(ranking, sku, unit.Total, maxSplits);
        if (parts is null)
        {
            how = "by available stock (fewest distributors)";
            parts = Greedy(ByUsableStock(ranking, sku), sku, unit.Total, maxSplits);
        }
        if (parts is null)
        {
            Fail(unit, DiagnoseLine(unit, maxSplits));
            return;
        }

        var described = new List<string>(parts.Count);
        foreach (var (c, quantity) in parts)
        {
            Take(c, sku, quantity);
            described.Add(Invariant($"{Id(c)} {quantity} ({Standing(ranking, c)})"));
        }
        Decisions.Add(Invariant($"{unit.Label} split {how} across {parts.Count} distributors: {string.Join(", ", described)}"));
    }

    /// <summary>One distributor takes the whole unit: home first when the policy says so, else the best-ranked
    /// one that can still fill it after the units placed before it.</summary>
    private bool TryOneDistributor(Unit unit, Ranked[] ranking)
    {
        var home = HomeFirstCandidate;
        if (home >= 0 && ledger.CanFill(home, unit))
        {
            TakeAll(home, unit);
            Decisions.Add(Invariant($"home distributor {Id(home)} fills {unit.Label} ({Standing(ranking, home)})"));
            return true;
        }
        for (var i = 0; i < ranking.Length; i++)
        {
            var c = ranking[i].Candidate;
            if (!ledger.CanFill(c, unit)) continue;
            TakeAll(c, unit);
            // Say why a lower-ranked distributor won, so the explanation does not look like a ranking bug.
            var passedOver = i switch { 0 => "", 1 => "; rank 1 cannot fill it", _ => Invariant($"; ranks 1-{i} cannot fill it") };
            Decisions.Add(Invariant($"{unit.Label} → {Id(c)} ({Standing(ranking, c)}{passedOver})"));
            return true;
        }
        return false;
    }

    private List<(int Candidate, int Quantity)>? Greedy(Ranked[] order, string sku, int quantity, int maxSplits)
    {
        var parts = new List<(int, int)>(maxSplits);
        var remaining = quantity;
        foreach (var r in order)
        {
            var take = Math.Min(remaining, ledger.Usable(r.Candidate, sku));
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
            keyed[i] = (ranking[i], ledger.Usable(ranking[i].Candidate, sku), i);
        Array.Sort(keyed, static (a, b) => a.Usable != b.Usable ? b.Usable.CompareTo(a.Usable) : a.Position.CompareTo(b.Position));
        var ordered = new Ranked[keyed.Length];
        for (var i = 0; i < keyed.Length; i++) ordered[i] = keyed[i].R;
        return ordered;
    }

    private void TakeAll(int c, Unit unit)
    {
        for (var j = 0; j < unit.Skus.Length; j++) Take(c, unit.Skus[j], unit.Quantities[j]);
    }

    private void Take(int c, string sku, int quantity)
    {
        ledger.Take(c, sku, quantity);
        taken.Add((c, sku, quantity));
    }

    private void Fail(Unit unit, (string Why, List<int> ShortLines) diagnosis)
    {
        var failure = new UnitFailure(unit.ReasonPrefix, diagnosis.Why, diagnosis.ShortLines);
        failures.Add(failure);
        Decisions.Add(failure.Decision);
    }

    /// <summary>Stock is checked first because a SKU nobody holds in full is what a substitute can fix;
    /// capacity and the way earlier units used up stock are not.</summary>
    private (string, List<int>) DiagnoseWhole(Unit unit)
    {
        var reasons = new List<string>();
        var shortLines = new List<int>();
        for (var j = 0; j < unit.Skus.Length; j++)
        {
            var (best, bestAvailable) = BestHolder(unit.Skus[j]);
            if (bestAvailable >= unit.Quantities[j]) continue;
            reasons.Add(Shortage(unit.Skus[j], unit.Quantities[j], best, bestAvailable));
            foreach (var line in unit.Lines)
                if (string.Equals(lines[line].Sku, unit.Skus[j], StringComparison.Ordinal)) shortLines.Add(line);
        }
        if (reasons.Count > 0) return (string.Join("; ", reasons), shortLines);

        var (most, capacity) = MostCapacity();
        if (capacity < unit.Total)
            return (Invariant($"no eligible distributor has capacity for {unit.Total} more units today (most: {Id(most)} with {capacity})"), shortLines);
        if (AnyCouldFillBeforeThisPlan(unit))
            return ("the stock or capacity it needs was already allocated to earlier groups of this order", shortLines);
        return (Invariant($"no single eligible distributor holds every line of {unit.Label}"), shortLines);
    }

    private (string, List<int>) DiagnoseLine(Unit unit, int maxSplits)
    {
        var sku = unit.Skus[0];
        var quantity = unit.Total;
        var stock = new List<int>();
        var usable = new List<int>();
        for (var c = 0; c < pool.Count; c++)
        {
            if (!pool.IsEligibleExceptStock(c)) continue;
            var available = Math.Max(0, pool.Snapshots[c].Available(sku));
            stock.Add(available);
            usable.Add(Math.Min(available, pool.Snapshots[c].CapacityLeft));
        }

        var bestStock = SumOfLargest(stock, maxSplits);
        if (bestStock < quantity)
        {
            string why;
            if (maxSplits == 1 || bestStock == 0)
            {
                var (best, bestAvailable) = BestHolder(sku);
                why = Shortage(sku, quantity, best, bestAvailable);
            }
            else
            {
                why = Invariant($"{quantity} units of {sku} cannot be covered by at most {maxSplits} eligible distributors (the {maxSplits} best-stocked hold {bestStock})");
            }
            return (why, [.. unit.Lines]);
        }
        var bestUsable = SumOfLargest(usable, maxSplits);
        if (bestUsable < quantity)
            return (Invariant($"capacity left today takes at most {bestUsable} of {quantity} units of {sku} within {maxSplits} distributors"), []);
        return ("the stock or capacity it needs was already allocated to earlier lines of this order", []);
    }

    private static int SumOfLargest(List<int> values, int n)
    {
        values.Sort(static (a, b) => b.CompareTo(a));
        long sum = 0;
        for (var i = 0; i < values.Count && i < n; i++) sum += values[i];
        return (int)Math.Min(int.MaxValue, sum);
    }

    private string Shortage(string sku, int quantity, int best, int bestAvailable) =>
        bestAvailable <= 0
            ? Invariant($"no eligible distributor has {sku} in stock")
            : Invariant($"no eligible distributor has {quantity} units of {sku} (best: {Id(best)} with {bestAvailable})");

    /// <summary>Among candidates eligible except for stock; ties go to the lower id.</summary>
    private (int Candidate, int Available) BestHolder(string sku)
    {
        var best = -1;
        var most = 0;
        for (var c = 0; c < pool.Count; c++)
        {
            if (!pool.IsEligibleExceptStock(c)) continue;
            var available = pool.Snapshots[c].Available(sku);
            if (best < 0 || available > most)
            {
                best = c;
                most = Math.Max(0, available);
            }
        }
        return (best, most);
    }

    private (int Candidate, int Capacity) MostCapacity()
    {
        var best = -1;
        var most = 0;
        for (var c = 0; c < pool.Count; c++)
        {
            if (!pool.IsEligibleExceptStock(c)) continue;
            if (best < 0 || pool.Snapshots[c].CapacityLeft > most)
            {
                best = c;
                most = pool.Snapshots[c].CapacityLeft;
            }
        }
        return (best, most);
    }

    private bool AnyCouldFillBeforeThisPlan(Unit unit)
    {
        foreach (var c in eligible)
        {
            var d = pool.Snapshots[c];
            if (d.CapacityLeft < unit.Total) continue;
            var all = true;
            for (var j = 0; j < unit.Skus.Length && all; j++) all = d.Available(unit.Skus[j]) >= unit.Quantities[j];
            if (all) return true;
        }
        return false;
    }

    private string Id(int c) => pool.Snapshots[c].Id;

    private static string Standing(Ranked[] ranking, int c)
    {
        for (var i = 0; i < ranking.Length; i++)
            if (ranking[i].Candidate == c) return Invariant($"rank {i + 1}, score {ranking[i].Score:0.0000}");
        return "unranked";
    }

    /// <summary>The unfillable SKUs a substitute could fix, in order of first appearance, with the lines to replace.</summary>
    public List<ShortSku> ShortSkus()
    {
        var lineSet = new SortedSet<int>();
        foreach (var f in failures) lineSet.UnionWith(f.ShortLines);
        var result = new List<ShortSku>();
        foreach (var line in lineSet)
        {
            var sku = lines[line].Sku;
            var existing = result.FindIndex(s => string.Equals(s.Sku, sku, StringComparison.Ordinal));
            if (existing < 0) result.Add(new ShortSku(sku, lines[line].Quantity, [line]));
            else
            {
                result[existing].Lines.Add(line);
                result[existing] = result[existing] with { Quantity = result[existing].Quantity + lines[line].Quantity };
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
        foreach (var t in taken)
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
            var bySku = skus.IndexOf(a.Sku).CompareTo(skus.IndexOf(b.Sku));
            return bySku != 0 ? bySku : overallRank[a.Candidate].CompareTo(overallRank[b.Candidate]);
        });
        var result = new Allocation[merged.Count];
        for (var i = 0; i < result.Length; i++)
            result[i] = new Allocation(Id(merged[i].Candidate), merged[i].Sku, merged[i].Quantity);
        return result;
    }

    /// <summary>Every candidate: the ranked ones best first (scored for the whole order), then the excluded ones by id.</summary>
    public IReadOnlyList<CandidateReport> Reports()
    {
        var reports = new CandidateReport[pool.Count];
        var n = 0;
        for (var i = 0; i < overall.Length; i++)
        {
            var c = overall[i].Candidate;
            reports[n++] = new CandidateReport(Id(c), null, detail[c], overall[i].Score, i + 1, Km(c), c == pool.Home);
        }
        for (var c = 0; c < pool.Count; c++)
        {
            if (exclusion[c] is not null)
                reports[n++] = new CandidateReport(Id(c), exclusion[c], detail[c], null, null, Km(c), c == pool.Home);
        }
        return reports;
    }

    private double Km(int c) => Math.Round(pool.DistanceKm[c], 2, MidpointRounding.AwayFromZero);

    /// <summary>A unit of work placed as one piece: the whole order, a line group, or a line.</summary>
    private sealed record Unit(string Label, string? ReasonPrefix, int[] Lines, string[] Skus, int[] Quantities, int Total)
    {
        public static Unit Of(string label, string? reasonPrefix, int[] members, IReadOnlyList<OrderLine> lines)
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
            return new Unit(label, reasonPrefix, members, [.. skus], [.. quantities], total);
        }
    }

    private sealed record UnitFailure(string? Prefix, string Why, List<int> ShortLines)
    {
        public string Reason => Prefix is null ? Why : Prefix + ": " + Why;
        public string Decision => (Prefix ?? "order") + " unfillable: " + Why;
    }

    /// <summary>Stock and capacity still free while one plan is built, so a later unit cannot count units an
    /// earlier unit of the same plan already took.</summary>
    private sealed class Ledger(DistributorSnapshot[] snapshots)
    {
        private readonly int[] capacityTaken = new int[snapshots.Length];
        private readonly Dictionary<(int, string), int> stockTaken = new();

        public int Stock(int c, string sku) =>
            Math.Max(0, snapshots[c].Available(sku) - stockTaken.GetValueOrDefault((c, sku)));

        public int Capacity(int c) => Math.Max(0, snapshots[c].CapacityLeft - capacityTaken[c]);

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
            stockTaken[(c, sku)] = stockTaken.GetValueOrDefault((c, sku)) + quantity;
            capacityTaken[c] += quantity;
        }
    }
}
