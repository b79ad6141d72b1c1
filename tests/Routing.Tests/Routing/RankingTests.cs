using Routing.Domain;
using static Routing.Tests.Routing.RoutingScenario;

namespace Routing.Tests.Routing;

public sealed class RankingTests
{
    private static readonly RouteRequest UreaOrder = Order(Line(Urea, 20));

    [Fact]
    public void Lower_priority_tier_ranks_higher_when_only_priority_is_weighted()
    {
        var tier3 = Distributor("d-01", (Urea, 100)) with { Priority = 3 };
        var tier1 = Distributor("d-02", (Urea, 100)) with { Priority = 1, Location = North(40) };

        var plan = Router.Route(UreaOrder, [tier3, tier1], Policy(weights: Only("priority")));

        Assert.Equal(["d-02", "d-01"], Ranked(plan));
        Assert.Equal(1.0, Report(plan, "d-02").Score);
        Assert.Equal(0.3333, Report(plan, "d-01").Score);
        Assert.Equal("d-02", Assert.Single(plan.Allocations).DistributorId);
    }

    [Fact]
    public void Nearer_distributor_ranks_higher_when_only_distance_is_weighted()
    {
        var far = Distributor("d-01", (Urea, 100)) with { Priority = 1, Location = North(50) };
        var near = Distributor("d-02", (Urea, 100)) with { Priority = 3, Location = North(5) };

        var plan = Router.Route(UreaOrder, [far, near], Policy(weights: Only("distance")));

        Assert.Equal(["d-02", "d-01"], Ranked(plan));
        Assert.Equal(0.5, Report(plan, "d-01").Score);
        Assert.Equal(50.0, Report(plan, "d-01").DistanceKm, precision: 1);
    }

    [Fact]
    public void Better_stocked_distributor_ranks_higher_when_only_stock_is_weighted()
    {
        var thin = Distributor("d-01", (Urea, 40)) with { Priority = 1 };
        var deep = Distributor("d-02", (Urea, 160)) with { Priority = 3 };

        var plan = Router.Route(UreaOrder, [thin, deep], Policy(weights: Only("stock")));

        Assert.Equal(["d-02", "d-01"], Ranked(plan));
        Assert.Equal(1.0, Report(plan, "d-02").Score);
        Assert.Equal(0.25, Report(plan, "d-01").Score);
    }

    [Fact]
    public void Stock_factor_is_the_weakest_ordered_sku_relative_to_the_best_stocked_candidate()
    {
        var order = Order(Line(Urea, 10), Line(Dap, 10));
        var ureaRich = Distributor("d-01", (Urea, 200), (Dap, 20));
        var balanced = Distributor("d-02", (Urea, 100), (Dap, 80));

        var plan = Router.Route(order, [ureaRich, balanced], Policy(weights: Only("stock")));

        Assert.Equal(0.25, Report(plan, "d-01").Score);
        Assert.Equal(0.5, Report(plan, "d-02").Score);
        Assert.Equal(["d-02", "d-01"], Ranked(plan));
    }

    [Fact]
    public void Less_loaded_distributor_ranks_higher_when_only_load_is_weighted()
    {
        var busy = Distributor("d-01", (Urea, 100)) with { Priority = 1, DailyCapacity = 400, LoadToday = 300 };
        var idle = Distributor("d-02", (Urea, 100)) with { Priority = 3, DailyCapacity = 400, LoadToday = 100 };

        var plan = Router.Route(UreaOrder, [busy, idle], Policy(weights: Only("load")));

        Assert.Equal(["d-02", "d-01"], Ranked(plan));
        Assert.Equal(0.75, Report(plan, "d-02").Score);
        Assert.Equal(0.25, Report(plan, "d-01").Score);
    }

    [Fact]
    public void Score_is_the_weighted_sum_of_priority_distance_stock_and_load()
    {
        var location = North(25);
        var scored = Distributor("d-01", (Urea, 30)) with { Priority = 2, Location = location, DailyCapacity = 100, LoadToday = 40 };
        var best = Distributor("d-02", (Urea, 60)) with { Priority = 1 };

        var plan = Router.Route(UreaOrder, [scored, best], Policy(weights: new RankingWeights(0.4, 0.3, 0.2, 0.1)));

        var km = Customer.DistanceKmTo(location);
        var expected = 0.4 * (1.0 / 2) + 0.3 * (1 / (1 + km / 50)) + 0.2 * (30.0 / 60) + 0.1 * (60.0 / 100);
        Assert.Equal(Math.Round(expected, 4), Report(plan, "d-01").Score);
        Assert.Equal(Math.Round(km, 2), Report(plan, "d-01").DistanceKm);
    }

    [Fact]
    public void Policy_without_weights_uses_the_default_weights()
    {
        var candidates = new[]
        {
            Distributor("d-01", (Urea, 30)) with { Priority = 2, Location = North(25), DailyCapacity = 100, LoadToday = 40 },
            Distributor("d-02", (Urea, 60)) with { Priority = 1 },
        };
        var unweighted = new RoutingPolicy("no-weights", Weights: null);

        var plan = Router.Route(UreaOrder, candidates, unweighted);
        var defaults = Router.Route(UreaOrder, candidates, unweighted with { Weights = new RankingWeights() });

        Assert.Equal(defaults.Explanation.Candidates.Select(c => (c.DistributorId, c.Score, c.Rank)), plan.Explanation.Candidates.Select(c => (c.DistributorId, c.Score, c.Rank)));
    }

    [Fact]
    public void Tier_zero_or_below_counts_as_tier_one()
    {
        var tier0 = Distributor("d-01", (Urea, 100)) with { Priority = 0 };

        var plan = Router.Route(UreaOrder, [tier0], Policy(weights: Only("priority")));

        Assert.Equal(1.0, Report(plan, "d-01").Score);
    }

    [Fact]
    public void Equal_scores_go_to_the_lower_priority_number()
    {
        // Only distance is weighted, so tiers differ but scores tie.
        var tier2 = Distributor("d-01", (Urea, 100)) with { Priority = 2 };
        var tier1 = Distributor("d-02", (Urea, 100)) with { Priority = 1 };

        var plan = Router.Route(UreaOrder, [tier2, tier1], Policy(weights: Only("distance")));

        Assert.Equal(Report(plan, "d-01").Score, Report(plan, "d-02").Score);
        Assert.Equal(["d-02", "d-01"], Ranked(plan));
    }

    [Fact]
    public void Equal_scores_and_tiers_go_to_the_nearer_distributor()
    {
        // Only stock is weighted, so locations differ but scores tie.
        var far = Distributor("d-01", (Urea, 100)) with { Location = North(30) };
        var near = Distributor("d-02", (Urea, 100)) with { Location = North(3) };

        var plan = Router.Route(UreaOrder, [far, near], Policy(weights: Only("stock")));

        Assert.Equal(["d-02", "d-01"], Ranked(plan));
    }

    [Fact]
    public void Complete_ties_go_to_the_lower_distributor_id_by_ordinal_order()
    {
        DistributorSnapshot[] candidates = [Distributor("d-b", (Urea, 100)), Distributor("d-B", (Urea, 100)), Distributor("d-a", (Urea, 100))];

        var plan = Router.Route(UreaOrder, candidates, Policy());

        Assert.Equal(["d-B", "d-a", "d-b"], Ranked(plan));
        Assert.Equal("d-B", Assert.Single(plan.Allocations).DistributorId);
    }

    [Fact]
    public void Scores_that_differ_only_beyond_four_decimals_tie_and_fall_to_the_tie_breaks()
    {
        // Raw scores 0.33334 (idle, far) and 0.33333 (busy, near) both read 0.3333 in the explanation, so the
        // visible tie-break (distance) decides rather than the invisible fifth decimal.
        var weights = new RankingWeights(Priority: 1, Distance: 0, Stock: 0, Load: 0.00001);
        var idleFar = Distributor("d-01", (Urea, 100)) with { Priority = 3, Location = North(30) };
        var busyNear = Distributor("d-02", (Urea, 100)) with { Priority = 3, Location = North(2), LoadToday = 900 };

        var plan = Router.Route(UreaOrder, [idleFar, busyNear], Policy(weights: weights));

        Assert.All(plan.Explanation.Candidates, c => Assert.Equal(0.3333, c.Score));
        Assert.Equal(["d-02", "d-01"], Ranked(plan));
    }

    [Fact]
    public void Ranks_start_at_one_for_the_best_candidate_and_run_without_gaps()
    {
        var candidates = Enumerable.Range(1, 5)
            .Select(i => Distributor($"d-0{i}", (Urea, 100)) with { Priority = 6 - i })
            .ToArray();

        var plan = Router.Route(UreaOrder, candidates, Policy());

        Assert.Equal([1, 2, 3, 4, 5], plan.Explanation.Candidates.Select(c => c.Rank!.Value));
        Assert.Equal(["d-05", "d-04", "d-03", "d-02", "d-01"], Ranked(plan));
    }
}
