using Routing.Domain;
using Routing.Domain.Explaining;
using static Routing.Tests.Routing.RoutingScenario;

namespace Routing.Tests.Routing;

public sealed class SplitPolicyTests
{
    private static readonly RankingWeights ByTier = Only("priority");

    // ---- WholeOrder (整单) ----

    [Fact]
    public void Whole_order_goes_to_the_best_ranked_distributor_that_can_fill_every_line()
    {
        var order = Order(Line(Urea, 20), Line(Dap, 5));
        var ureaOnly = Distributor("d-01", (Urea, 500)) with { Priority = 1 };
        var both = Distributor("d-02", (Urea, 100), (Dap, 10)) with { Priority = 2 };
        var bothLowerTier = Distributor("d-03", (Urea, 100), (Dap, 10)) with { Priority = 3 };

        var plan = Router.Route(order, [ureaOnly, both, bothLowerTier], Policy(SplitPolicy.WholeOrder, weights: ByTier));

        Assert.Equal(RoutingOutcome.Allocated, plan.Outcome);
        Assert.Equal([new Allocation("d-02", Urea, 20), new Allocation("d-02", Dap, 5)], plan.Allocations);
        Assert.Contains(new Assigned(WorkUnit.WholeOrder, "d-02", new Standing(1, 0.5), PassedOver: 0), plan.Explanation.Decisions);
    }

    [Fact]
    public void Whole_order_allocations_follow_the_order_of_the_lines()
    {
        var order = Order(Line(Dap, 5), Line(Urea, 20), Line(Dap, 3));

        var plan = Router.Route(order, [Distributor("d-01", (Urea, 100), (Dap, 100))], Policy(SplitPolicy.WholeOrder));

        Assert.Equal([new Allocation("d-01", Dap, 8), new Allocation("d-01", Urea, 20)], plan.Allocations);
    }

    // ---- ByLineGroup (分组) ----

    [Fact]
    public void Line_groups_go_to_different_distributors_when_no_one_holds_every_group()
    {
        var order = Order(Line(Urea, 20, "A"), Line(Dap, 5, "A"), Line(Potash, 10, "B"));
        var nitrogen = Distributor("d-01", (Urea, 100), (Dap, 50));
        var potash = Distributor("d-02", (Potash, 80));

        var plan = Router.Route(order, [potash, nitrogen], Policy(SplitPolicy.ByLineGroup));

        Assert.Equal(RoutingOutcome.Allocated, plan.Outcome);
        Assert.Equal(
            [new Allocation("d-01", Urea, 20), new Allocation("d-01", Dap, 5), new Allocation("d-02", Potash, 10)],
            plan.Allocations);
        Assert.Contains(plan.Explanation.Decisions, d => d is Assigned { Unit.Group: "A", DistributorId: "d-01", Standing.Rank: 1 });
        Assert.Contains(plan.Explanation.Decisions, d => d is Assigned { Unit.Group: "B", DistributorId: "d-02", Standing.Rank: 1 });
    }

    [Fact]
    public void Lines_of_a_group_stay_together_even_when_another_distributor_ranks_higher_for_one_of_them()
    {
        var order = Order(Line(Urea, 20, "A"), Line(Potash, 4), Line(Dap, 5, "A"));
        var ureaAndPotash = Distributor("d-01", (Urea, 500), (Potash, 50)) with { Priority = 1 };
        var ureaAndDap = Distributor("d-02", (Urea, 30), (Dap, 10)) with { Priority = 3 };

        var plan = Router.Route(order, [ureaAndPotash, ureaAndDap], Policy(SplitPolicy.ByLineGroup, weights: ByTier));

        Assert.Equal(
            [new Allocation("d-02", Urea, 20), new Allocation("d-01", Potash, 4), new Allocation("d-02", Dap, 5)],
            plan.Allocations);
    }

    [Fact]
    public void Later_group_only_counts_stock_that_earlier_groups_of_the_same_order_left()
    {
        var order = Order(Line(Urea, 30, "A"), Line(Urea, 30, "B"));
        var first = Distributor("d-01", (Urea, 40)) with { Priority = 1 };
        var second = Distributor("d-02", (Urea, 50)) with { Priority = 2 };

        var plan = Router.Route(order, [first, second], Policy(SplitPolicy.ByLineGroup, weights: ByTier));

        Assert.Equal([new Allocation("d-01", Urea, 30), new Allocation("d-02", Urea, 30)], plan.Allocations);
    }

    [Fact]
    public void Later_group_only_counts_capacity_that_earlier_groups_of_the_same_order_left()
    {
        var order = Order(Line(Urea, 30, "A"), Line(Dap, 30, "B"));
        var smallDepot = Distributor("d-01", (Urea, 100), (Dap, 100)) with { Priority = 1, DailyCapacity = 50 };
        var bigDepot = Distributor("d-02", (Dap, 100)) with { Priority = 2 };

        var plan = Router.Route(order, [smallDepot, bigDepot], Policy(SplitPolicy.ByLineGroup, weights: ByTier));

        Assert.Equal([new Allocation("d-01", Urea, 30), new Allocation("d-02", Dap, 30)], plan.Allocations);
    }

    [Fact]
    public void Lines_without_a_group_are_each_a_group_of_their_own()
    {
        var order = Order(Line(Urea, 20), Line(Dap, 5));
        var ureaOnly = Distributor("d-01", (Urea, 100));
        var dapOnly = Distributor("d-02", (Dap, 100));

        var plan = Router.Route(order, [ureaOnly, dapOnly], Policy(SplitPolicy.ByLineGroup));

        Assert.Equal([new Allocation("d-01", Urea, 20), new Allocation("d-02", Dap, 5)], plan.Allocations);
        Assert.Contains(plan.Explanation.Decisions, d => d is Assigned { Unit: { Kind: WorkUnitKind.Line, Line: 1, Sku: Urea }, DistributorId: "d-01" });
        Assert.Contains(plan.Explanation.Decisions, d => d is Assigned { Unit: { Kind: WorkUnitKind.Line, Line: 2, Sku: Dap }, DistributorId: "d-02" });
    }

    [Fact]
    public void A_group_no_one_can_fill_leaves_the_whole_plan_without_allocations()
    {
        var order = Order(Line(Urea, 20, "A"), Line(Dap, 50, "B"));
        var depot = Distributor("d-01", (Urea, 100), (Dap, 12));

        var plan = Router.Route(order, [depot], Policy(SplitPolicy.ByLineGroup));

        Assert.Equal(RoutingOutcome.Rejected, plan.Outcome);
        Assert.Empty(plan.Allocations);
        Assert.Contains(new Unfillable(new WorkUnit(WorkUnitKind.Group, Group: "B"), new NotEnoughAnywhere(Dap, 50, "d-01", 12)), plan.Explanation.Decisions);
    }

    [Fact]
    public void Group_that_earlier_groups_used_up_is_reported_as_such()
    {
        var order = Order(Line(Urea, 30, "A"), Line(Urea, 30, "B"));

        var plan = Router.Route(order, [Distributor("d-01", (Urea, 40))], Policy(SplitPolicy.ByLineGroup));

        Assert.Equal(RoutingOutcome.Rejected, plan.Outcome);
        Assert.Empty(plan.Allocations);
        Assert.Contains(new Unfillable(new WorkUnit(WorkUnitKind.Group, Group: "B"), new TakenByEarlierUnits(WorkUnitKind.Group)), plan.Explanation.Decisions);
    }

    // ---- SplitQuantity ----

    [Fact]
    public void Line_goes_whole_to_the_best_ranked_distributor_when_it_can_fill_it()
    {
        var order = Order(Line(Urea, 30));
        var best = Distributor("d-01", (Urea, 100)) with { Priority = 1 };
        var other = Distributor("d-02", (Urea, 100)) with { Priority = 2 };

        var plan = Router.Route(order, [other, best], Policy(SplitPolicy.SplitQuantity, weights: ByTier));

        Assert.Equal([new Allocation("d-01", Urea, 30)], plan.Allocations);
    }

    [Fact]
    public void Line_goes_whole_to_a_lower_ranked_distributor_rather_than_being_split()
    {
        var order = Order(Line(Urea, 30));
        var bestButThin = Distributor("d-01", (Urea, 10)) with { Priority = 1 };
        var middle = Distributor("d-02", (Urea, 25)) with { Priority = 2 };
        var deep = Distributor("d-03", (Urea, 50)) with { Priority = 3 };

        var plan = Router.Route(order, [bestButThin, middle, deep], Policy(SplitPolicy.SplitQuantity, weights: ByTier));

        Assert.Equal([new Allocation("d-03", Urea, 30)], plan.Allocations);
        Assert.Contains(plan.Explanation.Decisions, d => d is Assigned { Unit: { Line: 1, Quantity: 30 }, DistributorId: "d-03", Standing.Rank: 3, PassedOver: 2 });
    }

    [Fact]
    public void Line_no_one_can_fill_alone_is_split_in_rank_order_within_max_splits()
    {
        var order = Order(Line(Urea, 40));
        var candidates = new[]
        {
            Distributor("d-01", (Urea, 20)) with { Priority = 1 },
            Distributor("d-02", (Urea, 15)) with { Priority = 2 },
            Distributor("d-03", (Urea, 25)) with { Priority = 3 },
        };

        var plan = Router.Route(order, candidates, Policy(SplitPolicy.SplitQuantity, weights: ByTier, maxSplits: 3));

        Assert.Equal(RoutingOutcome.Allocated, plan.Outcome);
        Assert.Equal(
            [new Allocation("d-01", Urea, 20), new Allocation("d-02", Urea, 15), new Allocation("d-03", Urea, 5)],
            plan.Allocations);
        Assert.Contains(plan.Explanation.Decisions, d => d is SplitAcross { Unit: { Line: 1, Quantity: 40 }, ByStock: false, Parts.Count: 3 });
    }

    [Fact]
    public void Split_retries_by_available_stock_when_rank_order_needs_more_than_max_splits()
    {
        var order = Order(Line(Urea, 45));
        var candidates = new[]
        {
            Distributor("d-01", (Urea, 10)) with { Priority = 1 },
            Distributor("d-02", (Urea, 10)) with { Priority = 2 },
            Distributor("d-03", (Urea, 25)) with { Priority = 3 },
            Distributor("d-04", (Urea, 25)) with { Priority = 4 },
        };

        var plan = Router.Route(order, candidates, Policy(SplitPolicy.SplitQuantity, weights: ByTier, maxSplits: 2));

        Assert.Equal(RoutingOutcome.Allocated, plan.Outcome);
        Assert.Equal([new Allocation("d-03", Urea, 25), new Allocation("d-04", Urea, 20)], plan.Allocations);
        Assert.Contains(plan.Explanation.Decisions, d => d is SplitAcross { ByStock: true });
    }

    [Fact]
    public void Line_that_needs_more_than_max_splits_distributors_is_unfillable()
    {
        var order = Order(Line(Urea, 35));
        var candidates = Enumerable.Range(1, 4).Select(i => Distributor($"d-0{i}", (Urea, 10))).ToArray();

        var plan = Router.Route(order, candidates, Policy(SplitPolicy.SplitQuantity, maxSplits: 3));

        Assert.Equal(RoutingOutcome.Rejected, plan.Outcome);
        Assert.Empty(plan.Allocations);
        Assert.True(Assert.Single(plan.Causes) is NotCoverableBySplits { MaxSplits: 3 });
    }

    [Fact]
    public void Line_is_split_across_up_to_max_splits_distributors()
    {
        var order = Order(Line(Urea, 35));
        var candidates = Enumerable.Range(1, 4).Select(i => Distributor($"d-0{i}", (Urea, 10))).ToArray();

        var plan = Router.Route(order, candidates, Policy(SplitPolicy.SplitQuantity, maxSplits: 4));

        Assert.Equal(RoutingOutcome.Allocated, plan.Outcome);
        Assert.Equal(4, plan.Allocations.Count);
        Assert.Equal(35, plan.Allocations.Sum(a => a.Quantity));
    }

    [Fact]
    public void Max_splits_of_one_means_a_line_is_never_split()
    {
        var order = Order(Line(Urea, 15));
        var candidates = new[] { Distributor("d-01", (Urea, 10)), Distributor("d-02", (Urea, 10)) };

        var plan = Router.Route(order, candidates, Policy(SplitPolicy.SplitQuantity, maxSplits: 1));

        Assert.Equal(RoutingOutcome.Rejected, plan.Outcome);
        Assert.Contains(new Unfillable(new WorkUnit(WorkUnitKind.Line, Line: 1, Sku: Urea, Quantity: 15), new NotEnoughAnywhere(Urea, 15, "d-01", 10)), plan.Explanation.Decisions);
    }

    [Fact]
    public void Split_takes_no_more_from_a_distributor_than_its_capacity_left()
    {
        var order = Order(Line(Urea, 30));
        var nearlyFull = Distributor("d-01", (Urea, 100)) with { Priority = 1, DailyCapacity = 100, LoadToday = 85 };
        var thin = Distributor("d-02", (Urea, 20)) with { Priority = 2 };

        var plan = Router.Route(order, [nearlyFull, thin], Policy(SplitPolicy.SplitQuantity, weights: ByTier));

        Assert.Equal([new Allocation("d-01", Urea, 15), new Allocation("d-02", Urea, 15)], plan.Allocations);
    }

    [Fact]
    public void Later_line_only_counts_stock_that_earlier_lines_of_the_same_order_left()
    {
        var order = Order(Line(Urea, 30), Line(Urea, 30));
        var first = Distributor("d-01", (Urea, 40)) with { Priority = 1 };
        var second = Distributor("d-02", (Urea, 40)) with { Priority = 2 };

        var plan = Router.Route(order, [first, second], Policy(SplitPolicy.SplitQuantity, weights: ByTier));

        Assert.Equal([new Allocation("d-01", Urea, 30), new Allocation("d-02", Urea, 30)], plan.Allocations);
    }

    [Fact]
    public void Allocations_of_one_sku_to_one_distributor_are_merged()
    {
        var order = Order(Line(Urea, 10), Line(Dap, 5), Line(Urea, 12));
        var depot = Distributor("d-01", (Urea, 100), (Dap, 100));

        var plan = Router.Route(order, [depot], Policy(SplitPolicy.SplitQuantity));

        Assert.Equal([new Allocation("d-01", Urea, 22), new Allocation("d-01", Dap, 5)], plan.Allocations);
    }
}
