using Routing.Domain;
using Routing.Domain.Explaining;
using static Routing.Tests.Routing.RoutingScenario;

namespace Routing.Tests.Routing;

public sealed class EligibilityTests
{
    private static readonly RouteRequest UreaOrder = Order(Line(Urea, 20));

    [Fact]
    public void Inactive_distributor_is_excluded_as_inactive()
    {
        var closed = Distributor("d-01", (Urea, 100)) with { Active = false };

        var plan = Router.Route(UreaOrder, [closed, Distributor("d-02", (Urea, 100))], Policy());

        var report = Report(plan, "d-01");
        Assert.Equal(ExclusionReason.Inactive, report.Excluded);
        Assert.False(string.IsNullOrWhiteSpace(report.Detail));
        Assert.Null(report.Score);
        Assert.Null(report.Rank);
        Assert.Equal([new Allocation("d-02", Urea, 20)], plan.Allocations);
    }

    [Fact]
    public void Distributor_not_taking_part_in_the_campaign_is_excluded_as_not_participating()
    {
        var order = UreaOrder with { Participants = new HashSet<string> { "d-02" } };

        var plan = Router.Route(order, [Distributor("d-01", (Urea, 100)), Distributor("d-02", (Urea, 100))], Policy());

        Assert.Equal(ExclusionReason.NotParticipating, Report(plan, "d-01").Excluded);
        Assert.Null(Report(plan, "d-02").Excluded);
        Assert.Equal("d-02", Assert.Single(plan.Allocations).DistributorId);
    }

    [Fact]
    public void No_participant_list_means_every_distributor_takes_part()
    {
        var plan = Router.Route(UreaOrder, [Distributor("d-01", (Urea, 100)), Distributor("d-02", (Urea, 100))], Policy());

        Assert.All(plan.Explanation.Candidates, c => Assert.Null(c.Excluded));
    }

    [Fact]
    public void Distributor_whose_territory_does_not_cover_the_region_is_excluded_as_outside_territory()
    {
        var hanyang = Distributor("d-01", (Urea, 100)) with { Regions = ["420105"] };

        var plan = Router.Route(UreaOrder, [hanyang], Policy());

        var report = Report(plan, "d-01");
        Assert.Equal(ExclusionReason.OutsideTerritory, report.Excluded);
        Assert.Equal(new OutsideTerritory("420106"), Assert.Single(report.Notes));
        Assert.Equal(RoutingOutcome.Rejected, plan.Outcome);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("4201")]
    [InlineData("420106")]
    public void Territory_code_covers_every_region_code_it_prefixes(string territory)
    {
        var plan = Router.Route(UreaOrder, [Distributor("d-01", (Urea, 100)) with { Regions = ["4301", territory] }], Policy());

        Assert.Null(Report(plan, "d-01").Excluded);
        Assert.Equal(RoutingOutcome.Allocated, plan.Outcome);
    }

    [Fact]
    public void Distributor_outside_its_territory_but_within_the_maximum_distance_is_eligible()
    {
        var neighbour = Distributor("d-01", (Urea, 100)) with { Regions = ["4202"], Location = North(15) };

        var plan = Router.Route(UreaOrder, [neighbour], Policy(maxDistanceKm: 20));

        var report = Report(plan, "d-01");
        Assert.Null(report.Excluded);
        Assert.Equal(1, report.Rank);
        Assert.True(Assert.Single(report.Notes) is WithinReach { MaxKm: 20 });
        Assert.Equal(RoutingOutcome.Allocated, plan.Outcome);
    }

    [Fact]
    public void Distributor_outside_its_territory_and_beyond_the_maximum_distance_is_excluded()
    {
        var far = Distributor("d-01", (Urea, 100)) with { Regions = ["4202"], Location = North(35) };

        var plan = Router.Route(UreaOrder, [far], Policy(maxDistanceKm: 20));

        Assert.Equal(ExclusionReason.OutsideTerritory, Report(plan, "d-01").Excluded);
    }

    [Fact]
    public void Maximum_distance_does_not_exclude_a_distributor_whose_territory_covers_the_region()
    {
        var farButHome = Distributor("d-01", (Urea, 100)) with { Location = North(80) };

        var plan = Router.Route(UreaOrder, [farButHome], Policy(maxDistanceKm: 20));

        Assert.Null(Report(plan, "d-01").Excluded);
    }

    [Theory]
    [InlineData(500, 500)]
    [InlineData(500, 620)]
    [InlineData(0, 0)]
    public void Distributor_with_no_capacity_left_today_is_excluded_as_capacity_exhausted(int capacity, int load)
    {
        var full = Distributor("d-01", (Urea, 100)) with { DailyCapacity = capacity, LoadToday = load };

        var plan = Router.Route(UreaOrder, [full], Policy());

        Assert.Equal(ExclusionReason.CapacityExhausted, Report(plan, "d-01").Excluded);
    }

    [Fact]
    public void Distributor_holding_none_of_the_ordered_skus_is_excluded_as_out_of_stock()
    {
        var order = Order(Line(Urea, 20), Line(Dap, 5));
        var empty = Distributor("d-01", (Urea, 0), (Potash, 300));

        var plan = Router.Route(order, [empty], Policy(SplitPolicy.SplitQuantity));

        var report = Report(plan, "d-01");
        Assert.Equal(ExclusionReason.OutOfStock, report.Excluded);
        Assert.Equal([Urea, Dap], Assert.IsType<NotInStock>(Assert.Single(report.Notes)).Skus);
    }

    [Fact]
    public void Whole_order_excludes_a_distributor_that_cannot_fill_every_line_as_insufficient_stock()
    {
        var order = Order(Line(Urea, 20), Line(Dap, 5));
        var ureaOnly = Distributor("d-01", (Urea, 100));
        var both = Distributor("d-02", (Urea, 100), (Dap, 10));

        var plan = Router.Route(order, [ureaOnly, both], Policy(SplitPolicy.WholeOrder));

        var report = Report(plan, "d-01");
        Assert.Equal(ExclusionReason.InsufficientStock, report.Excluded);
        Assert.Contains(report.Notes, n => n is HoldsTooFew { Sku: Dap });
        Assert.All(plan.Allocations, a => Assert.Equal("d-02", a.DistributorId));
    }

    [Fact]
    public void Whole_order_adds_up_lines_of_the_same_sku_when_checking_stock()
    {
        var order = Order(Line(Urea, 20), Line(Urea, 15));
        var thirty = Distributor("d-01", (Urea, 30));
        var forty = Distributor("d-02", (Urea, 40));

        var plan = Router.Route(order, [thirty, forty], Policy(SplitPolicy.WholeOrder));

        Assert.Equal(ExclusionReason.InsufficientStock, Report(plan, "d-01").Excluded);
        Assert.Equal([new Allocation("d-02", Urea, 35)], plan.Allocations);
    }

    [Fact]
    public void Whole_order_excludes_a_distributor_whose_capacity_left_is_below_the_order_total()
    {
        var order = Order(Line(Urea, 20), Line(Dap, 15));
        var busy = Distributor("d-01", (Urea, 100), (Dap, 100)) with { DailyCapacity = 200, LoadToday = 170 };

        var plan = Router.Route(order, [busy], Policy(SplitPolicy.WholeOrder));

        var report = Report(plan, "d-01");
        Assert.Equal(ExclusionReason.InsufficientStock, report.Excluded);
        Assert.Equal(new CapacityTooSmall(30, 35), Assert.Single(report.Notes));
    }

    [Theory]
    [InlineData(SplitPolicy.ByLineGroup)]
    [InlineData(SplitPolicy.SplitQuantity)]
    public void Split_policies_keep_partially_stocked_distributors_eligible(SplitPolicy split)
    {
        var order = Order(Line(Urea, 20), Line(Dap, 5));
        var ureaOnly = Distributor("d-01", (Urea, 100));
        var dapOnly = Distributor("d-02", (Dap, 10));

        var plan = Router.Route(order, [ureaOnly, dapOnly], Policy(split));

        Assert.All(plan.Explanation.Candidates, c => Assert.Null(c.Excluded));
        Assert.Equal(RoutingOutcome.Allocated, plan.Outcome);
        Assert.Equal([new Allocation("d-01", Urea, 20), new Allocation("d-02", Dap, 5)], plan.Allocations);
    }

    [Fact]
    public void The_first_rule_a_distributor_fails_is_its_exclusion_reason()
    {
        var order = UreaOrder with { Participants = new HashSet<string> { "d-01", "d-03", "d-04" } };
        var everythingWrong = Distributor("d-01") with { Active = false, Regions = ["4202"], LoadToday = 1000 };
        var notInCampaign = Distributor("d-02") with { Regions = ["4202"], LoadToday = 1000 };
        var outsideAndFull = Distributor("d-03") with { Regions = ["4202"], LoadToday = 1000 };
        var fullAndEmpty = Distributor("d-04") with { LoadToday = 1000 };

        var plan = Router.Route(order, [everythingWrong, notInCampaign, outsideAndFull, fullAndEmpty], Policy());

        Assert.Equal(ExclusionReason.Inactive, Report(plan, "d-01").Excluded);
        Assert.Equal(ExclusionReason.NotParticipating, Report(plan, "d-02").Excluded);
        Assert.Equal(ExclusionReason.OutsideTerritory, Report(plan, "d-03").Excluded);
        Assert.Equal(ExclusionReason.CapacityExhausted, Report(plan, "d-04").Excluded);
    }
}
