using Routing.Domain;
using Routing.Domain.Explaining;
using Routing.Domain.Rules;

namespace Routing.Tests.Domain;

/// <summary>An exception order's cause is a code from its routing findings; its actions follow from its status.</summary>
public sealed class ExceptionRulesTests
{
    private static readonly WorkUnit Order = new(WorkUnitKind.Order);

    public static TheoryData<Finding, string> Causes => new()
    {
        { new NoCandidates(), ExceptionRules.NoEligibleDistributor },
        { new NoneEligible(3, [new ExclusionCount(ExclusionReason.OutsideTerritory, 3)]), ExceptionRules.NoEligibleDistributor },
        { new NoneInStock("UREA-50"), ExceptionRules.InsufficientStock },
        { new NotEnoughAnywhere("UREA-50", 40, "d-1", 12), ExceptionRules.InsufficientStock },
        { new NoCapacityForUnits(40, "d-1", 10), ExceptionRules.CapacityExhausted },
        { new NoSingleHolder(Order), ExceptionRules.WholeOrderNotFillable },
        { new Shortages([new DailyCapacityShort(0, 5), new StockShort("UREA-50", 1, 5)]), ExceptionRules.CapacityExhausted },
    };

    [Theory]
    [MemberData(nameof(Causes))]
    public void A_backordered_order_is_queued_for_the_first_reason_a_unit_could_not_be_placed(Finding cause, string code) =>
        Assert.Equal(code, ExceptionRules.CauseOf(OrderStatus.Backordered, [new CandidatesEligible(0, 3, new RankingWeights()), new Unfillable(Order, cause)]));

    [Fact]
    public void Manual_review_is_the_policys_and_an_allocated_order_has_no_cause()
    {
        Assert.Equal(ExceptionRules.ManualReviewPolicy, ExceptionRules.CauseOf(OrderStatus.Exception, [new Unfillable(Order, new NoneInStock("X"))]));
        Assert.Null(ExceptionRules.CauseOf(OrderStatus.Allocated, []));
        Assert.Equal(ExceptionRules.InsufficientStock, ExceptionRules.CauseOf(OrderStatus.Backordered, []));
    }

    [Fact]
    public void Only_waiting_orders_have_actions_and_each_suggested_substitute_is_one()
    {
        Assert.Equal(["acceptSubstitute:B", "acceptSubstitute:C", "reroute:", "cancel:"],
            ExceptionRules.Actions(OrderStatus.AwaitingSubstitution, ["B", "C", "B"]).Select(a => $"{a.Action}:{a.Sku}"));
        Assert.Empty(ExceptionRules.Actions(OrderStatus.Allocated, ["B"]));
        Assert.Empty(ExceptionRules.Actions(OrderStatus.Rejected, []));
    }
}
