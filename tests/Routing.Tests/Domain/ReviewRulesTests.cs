using Routing.Domain;
using Routing.Domain.Rules;

namespace Routing.Tests.Domain;

/// <summary>The review rules on their own: which holds an order gets, and when an undecided one is rejected.</summary>
public sealed class ReviewRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rules_that_are_off_hold_nothing()
    {
        Assert.Empty(ReviewRules.Holds(ReviewSettings.Off, 100_000, 1_000_000m, firstOrder: true, At));
        Assert.Null(ReviewRules.AutoRejectAt(ReviewSettings.Off, At));
    }

    [Theory]
    [InlineData(50, false, new string[0])]
    [InlineData(51, false, new[] { HoldKinds.MaxUnits })]
    [InlineData(11, true, new[] { HoldKinds.FirstOrder })]
    [InlineData(10, true, new string[0])]
    [InlineData(51, true, new[] { HoldKinds.MaxUnits, HoldKinds.FirstOrder })]
    public void Each_rule_broken_is_one_hold_and_a_limit_itself_is_allowed(int units, bool firstOrder, string[] expected)
    {
        var rules = new ReviewSettings(MaxUnits: 50, MaxAmount: null, FirstOrderMaxUnits: 10, AutoRejectAfterSeconds: null);
        var holds = ReviewRules.Holds(rules, units, amount: null, firstOrder, At);
        Assert.Equal(expected, holds.Select(h => h.Kind));
        Assert.All(holds, h => Assert.Equal(At, h.RaisedAt));
    }

    [Fact]
    public void The_amount_rule_applies_only_to_an_order_with_a_price()
    {
        var rules = new ReviewSettings(null, MaxAmount: 20_000m, null, null);
        Assert.Empty(ReviewRules.Holds(rules, 500, amount: null, firstOrder: false, At));
        Assert.Empty(ReviewRules.Holds(rules, 500, amount: 20_000m, firstOrder: false, At));
        var hold = Assert.Single(ReviewRules.Holds(rules, 500, amount: 20_000.01m, firstOrder: false, At));
        Assert.Equal(HoldKinds.MaxAmount, hold.Kind);
        Assert.Contains("20000.01", hold.Reason);
    }

    [Fact]
    public void An_undecided_order_is_rejected_the_rules_seconds_after_it_was_held() =>
        Assert.Equal(At.AddHours(2), ReviewRules.AutoRejectAt(new ReviewSettings(1, null, null, AutoRejectAfterSeconds: 7200), At));

    [Fact]
    public void Held_orders_and_pre_orders_hold_stock_and_have_a_decision_deadline_others_do_not()
    {
        foreach (var status in Enum.GetValues<OrderStatus>())
        {
            var waits = status is OrderStatus.OnHold or OrderStatus.PreOrder;
            Assert.Equal(waits, OrderRules.AwaitsDecision(status));
            Assert.Equal(waits ? At : null, OrderRules.DecisionDueAt(status, At));
            Assert.Equal(waits, OrderRules.CancelReasonAtDeadline(status) is not null);
            if (waits)
            {
                Assert.True(OrderRules.HoldsStock(status));
                Assert.False(OrderRules.InFulfilment(status)); // no distributor confirms it
                Assert.False(OrderRules.CanReroute(status));
            }
        }
        Assert.Equal(CancelReasons.RejectedInReview, OrderRules.CancelReasonAtDeadline(OrderStatus.OnHold));
        Assert.Equal(CancelReasons.PreorderExpired, OrderRules.CancelReasonAtDeadline(OrderStatus.PreOrder));
    }
}
