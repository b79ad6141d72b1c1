using Routing.Domain;
using Routing.Domain.Explaining;
using static Routing.Tests.Routing.RoutingScenario;

namespace Routing.Tests.Routing;

public sealed class FallbackTests
{
    private const string Urea46 = "UREA-46";
    private const string Urea40 = "UREA-40";

    private static readonly RouteRequest UreaOrder = Order(Line(Urea, 30)) with
    {
        Substitutes = new Dictionary<string, IReadOnlyList<string>> { [Urea] = [Urea46, Urea40] },
    };

    // ---- Nothing to route to ----

    [Fact]
    public void No_candidates_at_all_falls_back_with_a_reason()
    {
        var plan = Router.Route(UreaOrder, [], Policy(fallback: FallbackAction.Backorder));

        Assert.Equal(RoutingOutcome.Backorder, plan.Outcome);
        Assert.Empty(plan.Allocations);
        Assert.Empty(plan.Explanation.Candidates);
        Assert.IsType<NoCandidates>(Assert.Single(plan.Causes));
    }

    [Fact]
    public void Every_candidate_excluded_falls_back_with_a_count_of_the_reasons()
    {
        var candidates = new[]
        {
            Distributor("d-01", (Urea, 100)) with { Active = false },
            Distributor("d-02", (Urea, 100)) with { Regions = ["4202"] },
            Distributor("d-03", (Urea, 100)) with { Regions = ["4202"] },
        };

        var plan = Router.Route(UreaOrder, candidates, Policy());

        Assert.Equal(RoutingOutcome.Rejected, plan.Outcome);
        var none = Assert.IsType<NoneEligible>(Assert.Single(plan.Causes));
        Assert.Equal(3, none.Candidates);
        Assert.Equal([new ExclusionCount(ExclusionReason.Inactive, 1), new ExclusionCount(ExclusionReason.OutsideTerritory, 2)], none.Excluded);
        Assert.Equal(3, plan.Explanation.Candidates.Count);
    }

    [Fact]
    public void Zero_stock_everywhere_falls_back_naming_the_missing_sku()
    {
        var candidates = new[] { Distributor("d-01", (Urea, 0)), Distributor("d-02") };

        var plan = Router.Route(UreaOrder, candidates, Policy());

        Assert.Equal(RoutingOutcome.Rejected, plan.Outcome);
        Assert.Equal(new NoneInStock(Urea), Assert.Single(plan.Causes));
        Assert.All(plan.Explanation.Candidates, c => Assert.Equal(ExclusionReason.OutOfStock, c.Excluded));
    }

    [Fact]
    public void Capacity_exhausted_everywhere_falls_back()
    {
        var candidates = new[]
        {
            Distributor("d-01", (Urea, 100)) with { LoadToday = 1000 },
            Distributor("d-02", (Urea, 100)) with { DailyCapacity = 300, LoadToday = 320 },
        };

        var plan = Router.Route(UreaOrder, candidates, Policy(fallback: FallbackAction.ManualReview));

        Assert.Equal(RoutingOutcome.ManualReview, plan.Outcome);
        Assert.Empty(plan.Allocations);
        var none = Assert.IsType<NoneEligible>(Assert.Single(plan.Causes));
        Assert.Equal([new ExclusionCount(ExclusionReason.CapacityExhausted, 2)], none.Excluded);
    }

    [Fact]
    public void Reason_names_the_best_stocked_eligible_distributor_and_what_it_holds()
    {
        var candidates = new[]
        {
            Distributor("d-01", (Urea, 5)),
            Distributor("d-03", (Urea, 12)),
            Distributor("d-09", (Urea, 400)) with { Active = false },
        };

        var plan = Router.Route(UreaOrder, candidates, Policy());

        Assert.Equal(new NotEnoughAnywhere(Urea, 30, "d-03", 12), Assert.Single(plan.Causes));
    }

    [Fact]
    public void Too_little_capacity_left_anywhere_is_the_reason_when_stock_is_there()
    {
        var candidates = new[]
        {
            Distributor("d-01", (Urea, 100)) with { DailyCapacity = 100, LoadToday = 90 },
            Distributor("d-02", (Urea, 100)) with { DailyCapacity = 100, LoadToday = 75 },
        };

        var plan = Router.Route(UreaOrder, candidates, Policy());

        Assert.Equal(new NoCapacityForUnits(30, "d-02", 25), Assert.Single(plan.Causes));
        Assert.Empty(plan.Suggestions);
    }

    [Fact]
    public void Whole_order_split_between_distributors_is_reported_as_no_single_one_holding_every_line()
    {
        var order = UreaOrder with { Lines = [Line(Urea, 30), Line(Dap, 10)] };
        var candidates = new[] { Distributor("d-01", (Urea, 100), (Urea40, 100)), Distributor("d-02", (Dap, 100)) };

        var plan = Router.Route(order, candidates, Policy(SplitPolicy.WholeOrder, auto: true));

        Assert.Equal(RoutingOutcome.Rejected, plan.Outcome);
        Assert.Equal(new NoSingleHolder(WorkUnit.WholeOrder), Assert.Single(plan.Causes));
        Assert.Empty(plan.Substitutions);
        Assert.Empty(plan.Suggestions);
    }

    [Theory]
    [InlineData(FallbackAction.Reject, RoutingOutcome.Rejected)]
    [InlineData(FallbackAction.Backorder, RoutingOutcome.Backorder)]
    [InlineData(FallbackAction.ManualReview, RoutingOutcome.ManualReview)]
    public void Unfillable_order_without_substitutes_follows_the_policy_fallback(FallbackAction fallback, RoutingOutcome expected)
    {
        var plan = Router.Route(UreaOrder, [Distributor("d-01", (Urea, 12))], Policy(fallback: fallback));

        Assert.Equal(expected, plan.Outcome);
        Assert.Empty(plan.Allocations);
        Assert.Empty(plan.Substitutions);
        Assert.Empty(plan.Suggestions);
        Assert.False(string.IsNullOrWhiteSpace(plan.Reason));
        Assert.IsType<FallbackTaken>(plan.Explanation.Decisions[^1]);
    }

    // ---- Substitutes ----

    [Fact]
    public void Substitute_in_stock_nearby_is_suggested_and_the_order_awaits_the_customer()
    {
        var candidates = new[]
        {
            Distributor("d-01", (Urea, 12), (Urea40, 25)),
            Distributor("d-02", (Urea40, 15)),
        };

        var plan = Router.Route(UreaOrder, candidates, Policy(suggest: true));

        Assert.Equal(RoutingOutcome.AwaitingSubstitution, plan.Outcome);
        Assert.Empty(plan.Allocations);
        Assert.Empty(plan.Substitutions);
        Assert.Equal([new SubstituteSuggestion(Urea, Urea40, Rank: 2, AvailableNearby: 40)], plan.Suggestions);
        var suggested = Assert.Single(plan.Explanation.Decisions.OfType<SubstitutesSuggested>());
        Assert.Equal(Urea, suggested.Sku);
        Assert.Equal([(Urea40, 40)], suggested.Offers.Select(o => (o.SubstituteSku, o.AvailableNearby)));
    }

    [Fact]
    public void Suggestions_keep_the_catalog_ranking()
    {
        var candidates = new[] { Distributor("d-01", (Urea40, 300), (Urea46, 35)) };

        var plan = Router.Route(UreaOrder, candidates, Policy(suggest: true));

        Assert.Equal(
            [new SubstituteSuggestion(Urea, Urea46, 1, 35), new SubstituteSuggestion(Urea, Urea40, 2, 300)],
            plan.Suggestions);
    }

    [Fact]
    public void Substitute_held_only_by_excluded_distributors_is_not_in_stock_nearby()
    {
        var candidates = new[]
        {
            Distributor("d-01", (Urea, 12)),
            Distributor("d-08", (Urea40, 500)) with { Active = false },
            Distributor("d-09", (Urea40, 500)) with { Regions = ["4202"] },
        };

        var plan = Router.Route(UreaOrder, candidates, Policy(suggest: true, fallback: FallbackAction.Backorder));

        Assert.Equal(RoutingOutcome.Backorder, plan.Outcome);
        Assert.Empty(plan.Suggestions);
        Assert.Contains(new NoSubstituteInStock(Urea), plan.Explanation.Decisions);
    }

    [Fact]
    public void Substitute_with_less_than_the_ordered_quantity_nearby_is_not_suggested()
    {
        var candidates = new[] { Distributor("d-01", (Urea, 12), (Urea40, 20)) };

        var plan = Router.Route(UreaOrder, candidates, Policy(suggest: true));

        Assert.Equal(RoutingOutcome.Rejected, plan.Outcome);
        Assert.Empty(plan.Suggestions);
        Assert.Contains(new NoSubstituteHasEnough(Urea, 30), plan.Explanation.Decisions);
    }

    [Fact]
    public void No_suggestions_when_the_policy_does_not_suggest_substitutes()
    {
        var candidates = new[] { Distributor("d-01", (Urea40, 300)) };

        var plan = Router.Route(UreaOrder, candidates, Policy(suggest: false, auto: false, fallback: FallbackAction.ManualReview));

        Assert.Equal(RoutingOutcome.ManualReview, plan.Outcome);
        Assert.Empty(plan.Suggestions);
    }

    [Fact]
    public void Auto_substitute_uses_the_first_substitute_that_makes_the_order_fillable()
    {
        // UREA-46 is the better substitute but no single depot holds 30 of it, so UREA-40 is used.
        var order = UreaOrder with { Lines = [Line(Urea, 30), Line(Dap, 5)] };
        var candidates = new[]
        {
            Distributor("d-01", (Urea, 12), (Urea46, 20), (Dap, 50)),
            Distributor("d-02", (Urea46, 20), (Urea40, 35), (Dap, 50)),
        };

        var plan = Router.Route(order, candidates, Policy(SplitPolicy.WholeOrder, auto: true));

        Assert.Equal(RoutingOutcome.Allocated, plan.Outcome);
        Assert.Equal([new Allocation("d-02", Urea40, 30), new Allocation("d-02", Dap, 5)], plan.Allocations);
        Assert.Equal([new Substitution(Urea, Urea40, 30)], plan.Substitutions);
        Assert.Empty(plan.Suggestions);
        Assert.Null(plan.Reason);
        Assert.Contains(new SubstituteUsed(Urea, Urea40), plan.Explanation.Decisions);
    }

    [Fact]
    public void Auto_substitute_reruns_the_split_policy_for_the_substitute()
    {
        var candidates = new[] { Distributor("d-01", (Urea46, 20)), Distributor("d-02", (Urea46, 20)) };

        var plan = Router.Route(UreaOrder, candidates, Policy(SplitPolicy.SplitQuantity, auto: true));

        Assert.Equal(RoutingOutcome.Allocated, plan.Outcome);
        Assert.Equal([new Allocation("d-01", Urea46, 20), new Allocation("d-02", Urea46, 10)], plan.Allocations);
        Assert.Equal([new Substitution(Urea, Urea46, 30)], plan.Substitutions);
    }

    [Fact]
    public void Auto_substitute_that_finds_nothing_fillable_suggests_what_is_in_stock()
    {
        // 40 units of UREA-46 nearby, but split 20/20, so whole-order routing cannot use it.
        var candidates = new[] { Distributor("d-01", (Urea46, 20)), Distributor("d-02", (Urea46, 20)) };

        var plan = Router.Route(UreaOrder, candidates, Policy(SplitPolicy.WholeOrder, auto: true, suggest: true));

        Assert.Equal(RoutingOutcome.AwaitingSubstitution, plan.Outcome);
        Assert.Empty(plan.Allocations);
        Assert.Equal([new SubstituteSuggestion(Urea, Urea46, 1, 40)], plan.Suggestions);
    }

    [Fact]
    public void Auto_substitute_that_finds_nothing_fillable_falls_back_when_suggestions_are_off()
    {
        var candidates = new[] { Distributor("d-01", (Urea46, 20)), Distributor("d-02", (Urea46, 20)) };

        var plan = Router.Route(UreaOrder, candidates, Policy(SplitPolicy.WholeOrder, auto: true, suggest: false, fallback: FallbackAction.Backorder));

        Assert.Equal(RoutingOutcome.Backorder, plan.Outcome);
        Assert.Empty(plan.Allocations);
        Assert.Empty(plan.Substitutions);
        Assert.Empty(plan.Suggestions);
        Assert.Contains(new NoSubstitutionFits(), plan.Explanation.Decisions);
    }

    [Fact]
    public void Only_the_unfillable_group_is_substituted()
    {
        var order = UreaOrder with { Lines = [Line(Urea, 10, "A"), Line(Urea, 30, "B")] };
        var candidates = new[] { Distributor("d-01", (Urea, 12), (Urea40, 100)) };

        var plan = Router.Route(order, candidates, Policy(SplitPolicy.ByLineGroup, auto: true));

        Assert.Equal(RoutingOutcome.Allocated, plan.Outcome);
        Assert.Equal([new Allocation("d-01", Urea, 10), new Allocation("d-01", Urea40, 30)], plan.Allocations);
        Assert.Equal([new Substitution(Urea, Urea40, 30)], plan.Substitutions);
    }
}
