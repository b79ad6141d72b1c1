using Routing.Domain;
using Routing.Domain.Explaining;
using static Routing.Tests.Routing.RoutingScenario;

namespace Routing.Tests.Routing;

public sealed class RouterTests
{
    private static readonly RankingWeights ByTier = Only("priority");

    // ---- Home first ----

    [Fact]
    public void Home_distributor_wins_when_eligible_and_stocked()
    {
        var order = Order(Line(Urea, 30)) with { HomeDistributorId = "d-07" };
        var best = Distributor("d-01", (Urea, 500)) with { Priority = 1, Location = North(3) };
        var home = Distributor("d-07", (Urea, 40)) with { Priority = 3, Location = North(28) };

        var plan = Router.Route(order, [best, home], Policy(homeFirst: true));

        Assert.Equal([new Allocation("d-07", Urea, 30)], plan.Allocations);
        var report = Report(plan, "d-07");
        Assert.True(report.Home);
        Assert.Equal(2, report.Rank);
        Assert.False(Report(plan, "d-01").Home);
        Assert.Contains(plan.Explanation.Decisions, d => d is HomeFills { DistributorId: "d-07", Unit.Kind: WorkUnitKind.Order, Standing.Rank: 2 });
    }

    [Fact]
    public void Home_distributor_is_ranked_like_any_other_when_home_first_is_off()
    {
        var order = Order(Line(Urea, 30)) with { HomeDistributorId = "d-07" };
        var best = Distributor("d-01", (Urea, 500)) with { Priority = 1, Location = North(3) };
        var home = Distributor("d-07", (Urea, 40)) with { Priority = 3, Location = North(28) };

        var plan = Router.Route(order, [best, home], Policy(homeFirst: false));

        Assert.Equal([new Allocation("d-01", Urea, 30)], plan.Allocations);
        Assert.True(Report(plan, "d-07").Home);
        Assert.DoesNotContain(plan.Explanation.Decisions, d => d is HomeFills or HomeExcluded or HomeNotCandidate);
    }

    [Fact]
    public void Home_distributor_that_cannot_fill_the_order_does_not_win()
    {
        var order = Order(Line(Urea, 30)) with { HomeDistributorId = "d-07" };
        var best = Distributor("d-01", (Urea, 500)) with { Priority = 1 };
        var home = Distributor("d-07", (Urea, 12)) with { Priority = 3 };

        var plan = Router.Route(order, [best, home], Policy(homeFirst: true));

        Assert.Equal([new Allocation("d-01", Urea, 30)], plan.Allocations);
        Assert.Equal(ExclusionReason.InsufficientStock, Report(plan, "d-07").Excluded);
        Assert.True(Report(plan, "d-07").Home);
        Assert.Contains(plan.Explanation.Decisions, d => d is HomeExcluded { DistributorId: "d-07", Reason: ExclusionReason.InsufficientStock });
    }

    [Fact]
    public void Ineligible_home_distributor_does_not_win_even_when_stocked()
    {
        var order = Order(Line(Urea, 30)) with { HomeDistributorId = "d-07" };
        var home = Distributor("d-07", (Urea, 500)) with { Active = false };

        var plan = Router.Route(order, [Distributor("d-01", (Urea, 100)), home], Policy(homeFirst: true));

        Assert.Equal([new Allocation("d-01", Urea, 30)], plan.Allocations);
    }

    [Fact]
    public void Home_distributor_wins_the_groups_it_can_fill_and_ranking_decides_the_rest()
    {
        var order = Order(Line(Urea, 20, "A"), Line(Dap, 10, "B")) with { HomeDistributorId = "d-07" };
        var best = Distributor("d-01", (Urea, 500), (Dap, 500)) with { Priority = 1 };
        var home = Distributor("d-07", (Urea, 50)) with { Priority = 3 };

        var plan = Router.Route(order, [best, home], Policy(SplitPolicy.ByLineGroup, homeFirst: true));

        Assert.Equal([new Allocation("d-07", Urea, 20), new Allocation("d-01", Dap, 10)], plan.Allocations);
        Assert.Contains(plan.Explanation.Decisions, d => d is HomeFills { DistributorId: "d-07", Unit: { Kind: WorkUnitKind.Group, Group: "A" } });
    }

    [Fact]
    public void Home_distributor_takes_the_lines_it_can_fill_whole_under_split_quantity()
    {
        var order = Order(Line(Urea, 30), Line(Dap, 20)) with { HomeDistributorId = "d-07" };
        var best = Distributor("d-01", (Urea, 500), (Dap, 500)) with { Priority = 1 };
        var home = Distributor("d-07", (Urea, 30), (Dap, 10)) with { Priority = 3 };

        var plan = Router.Route(order, [best, home], Policy(SplitPolicy.SplitQuantity, homeFirst: true, weights: ByTier));

        Assert.Equal([new Allocation("d-07", Urea, 30), new Allocation("d-01", Dap, 20)], plan.Allocations);
    }

    [Fact]
    public void Home_distributor_missing_from_the_candidates_is_mentioned_and_ranking_decides()
    {
        var order = Order(Line(Urea, 30)) with { HomeDistributorId = "d-99" };

        var plan = Router.Route(order, [Distributor("d-01", (Urea, 100))], Policy(homeFirst: true));

        Assert.Equal([new Allocation("d-01", Urea, 30)], plan.Allocations);
        Assert.Contains(new HomeNotCandidate("d-99"), plan.Explanation.Decisions);
    }

    // ---- Determinism ----

    private static (RouteRequest, DistributorSnapshot[]) MixedScenario()
    {
        var order = Order(Line(Urea, 30, "A"), Line(Dap, 10, "A"), Line(Potash, 25), Line(Urea, 15, "C"))
            with
        { HomeDistributorId = "d-06" };
        DistributorSnapshot[] candidates =
        [
            Distributor("d-01", (Urea, 40), (Dap, 10)) with { Priority = 1, Location = North(12) },
            Distributor("d-02", (Urea, 60), (Dap, 30), (Potash, 10)) with { Priority = 2, Location = North(4), LoadToday = 700 },
            Distributor("d-03", (Potash, 18)) with { Priority = 1, Location = North(12) },
            Distributor("d-04", (Potash, 30)) with { Active = false },
            Distributor("d-05", (Urea, 90)) with { Regions = ["4202"], Location = North(60) },
            Distributor("d-06", (Urea, 20)) with { Priority = 3, Location = North(22) },
            Distributor("d-07", (Potash, 25), (Urea, 5)) with { Priority = 2, Location = North(12) },
            Distributor("d-08", (Urea, 100)) with { LoadToday = 1000 },
        ];
        return (order, candidates);
    }

    /// <summary>Same input, same plan: the candidates as the directory happens to list them (reversed, and shuffled under
    /// several seeds) give the identical plan, every field and every word of the explanation.</summary>
    [Theory]
    [InlineData(SplitPolicy.WholeOrder, 30.0)]
    [InlineData(SplitPolicy.ByLineGroup, 30.0)]
    [InlineData(SplitPolicy.SplitQuantity, 30.0)]
    [InlineData(SplitPolicy.WholeOrder, null)]
    [InlineData(SplitPolicy.ByLineGroup, null)]
    [InlineData(SplitPolicy.SplitQuantity, null)]
    public void Same_candidates_in_any_order_give_the_identical_plan(SplitPolicy split, double? maxDistanceKm)
    {
        var (order, candidates) = MixedScenario();
        var policy = Policy(split, maxDistanceKm: maxDistanceKm);
        var expected = Json(Router.Route(order, candidates, policy));

        var orderings = new List<DistributorSnapshot[]> { candidates, candidates.Reverse().ToArray() };
        foreach (var seed in new[] { 1, 7, 42, 20240601, 31337 })
        {
            var random = new Random(seed);
            for (var i = 0; i < 4; i++)
            {
                var shuffled = candidates.ToArray();
                random.Shuffle(shuffled);
                orderings.Add(shuffled);
            }
        }
        Assert.True(orderings.Select(o => string.Join(",", o.Select(c => c.Id))).Distinct().Count() > 10, "the orderings must differ");

        foreach (var shuffled in orderings)
            Assert.Equal(expected, Json(Router.Route(order, shuffled, policy)));
    }

    [Fact]
    public void Mixed_scenario_is_placed_group_by_group_with_the_home_distributor_first()
    {
        var (order, candidates) = MixedScenario();

        var plan = Router.Route(order, candidates, Policy(SplitPolicy.ByLineGroup, maxDistanceKm: 30));

        Assert.Equal(RoutingOutcome.Allocated, plan.Outcome);
        // Group A (30 urea + 10 DAP): only d-01 and d-02 hold both; line 3 potash: d-07 (d-03 holds 18 only);
        // group C (15 urea): home d-06 holds 20.
        Assert.Equal(
            [
                new Allocation("d-01", Urea, 30),
                new Allocation("d-06", Urea, 15),
                new Allocation("d-01", Dap, 10),
                new Allocation("d-07", Potash, 25),
            ],
            plan.Allocations);
    }

    // ---- Explanation ----

    [Fact]
    public void Every_candidate_is_reported_once_ranked_best_first_then_excluded_by_id()
    {
        var (order, candidates) = MixedScenario();

        var plan = Router.Route(order, candidates, Policy(SplitPolicy.ByLineGroup, maxDistanceKm: 30));

        var reports = plan.Explanation.Candidates;
        Assert.Equal(candidates.Select(c => c.Id).Order(StringComparer.Ordinal), reports.Select(r => r.DistributorId).Order(StringComparer.Ordinal));
        var ranked = reports.TakeWhile(r => r.Rank is not null).ToList();
        var excluded = reports.SkipWhile(r => r.Rank is not null).ToList();
        Assert.Equal(Enumerable.Range(1, ranked.Count), ranked.Select(r => r.Rank!.Value));
        Assert.All(ranked, r => { Assert.Null(r.Excluded); Assert.NotNull(r.Score); });
        Assert.All(excluded, r => { Assert.NotNull(r.Excluded); Assert.Null(r.Score); Assert.Null(r.Rank); Assert.False(string.IsNullOrWhiteSpace(r.Detail)); });
        Assert.Equal(excluded.Select(r => r.DistributorId).Order(StringComparer.Ordinal), excluded.Select(r => r.DistributorId));
        Assert.Equal(ExclusionReason.Inactive, Report(plan, "d-04").Excluded);
        Assert.Equal(ExclusionReason.OutsideTerritory, Report(plan, "d-05").Excluded);
        Assert.Equal(ExclusionReason.CapacityExhausted, Report(plan, "d-08").Excluded);
        Assert.All(reports, r => Assert.True(r.DistanceKm > 0));
    }

    [Fact]
    public void Explanation_names_the_policy_and_its_split()
    {
        var plan = Router.Route(Order(Line(Urea, 5)), [Distributor("d-01", (Urea, 10))], Policy(SplitPolicy.SplitQuantity));

        Assert.Equal("spring-campaign", plan.Explanation.PolicyId);
        Assert.Equal(SplitPolicy.SplitQuantity, plan.Explanation.Split);
    }

    [Fact]
    public void Decisions_say_how_many_candidates_were_eligible_and_who_won_with_rank_and_score()
    {
        var candidates = new[]
        {
            Distributor("d-01", (Urea, 100)) with { Priority = 1 },
            Distributor("d-02", (Urea, 100)) with { Priority = 2 },
            Distributor("d-03", (Urea, 100)) with { Active = false },
        };

        var plan = Router.Route(Order(Line(Urea, 5)), candidates, Policy(weights: ByTier));

        Assert.True(plan.Explanation.Decisions[0] is CandidatesEligible { Eligible: 2, Candidates: 3 });
        Assert.Contains(new Assigned(WorkUnit.WholeOrder, "d-01", new Standing(1, 1.0), PassedOver: 0), plan.Explanation.Decisions);
        Assert.Null(plan.Reason);
    }

    // ---- Input checks ----

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Line_with_a_quantity_that_is_not_positive_is_an_argument_error(int quantity)
    {
        var order = Order(Line(Urea, 10), Line(Dap, quantity));

        var error = Assert.Throws<ArgumentException>(() => Router.Route(order, [Distributor("d-01", (Urea, 10))], Policy()));
        Assert.Contains("Line 2", error.Message);
    }

    [Fact]
    public void Candidates_sharing_an_id_are_an_argument_error()
    {
        var twice = new[] { Distributor("d-01", (Urea, 10)), Distributor("d-01", (Urea, 99)) };

        Assert.Throws<ArgumentException>(() => Router.Route(Order(Line(Urea, 5)), twice, Policy()));
    }
}
