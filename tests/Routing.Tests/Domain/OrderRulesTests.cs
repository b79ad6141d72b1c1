using Routing.Domain;
using Routing.Domain.Rules;

namespace Routing.Tests.Domain;

public sealed class OrderRulesTests
{
    [Fact]
    public void Only_allocated_confirmed_held_and_pre_orders_hold_stock_and_only_rejected_and_cancelled_ones_give_their_units_back()
    {
        Assert.Equal([OrderStatus.Allocated, OrderStatus.Confirmed, OrderStatus.OnHold, OrderStatus.PreOrder], Enum.GetValues<OrderStatus>().Where(OrderRules.HoldsStock));
        Assert.Equal([OrderStatus.Rejected, OrderStatus.Cancelled], Enum.GetValues<OrderStatus>().Where(s => !OrderRules.HoldsCampaignUnits(s)));
    }

    [Fact]
    public void An_order_holds_stock_at_a_distributor_until_that_distributor_s_share_ships()
    {
        // What a distributor's reserved units are rebuilt from: per order, its status and that distributor's share.
        foreach (var status in Enum.GetValues<OrderStatus>())
            foreach (var share in Enum.GetValues<OrderStatus>())
                Assert.Equal(OrderRules.HoldsStock(status) && share is not (OrderStatus.Shipped or OrderStatus.Completed), OrderRules.HoldsStockAt(status, share));
        Assert.True(OrderRules.HoldsStockAt(OrderStatus.Confirmed, OrderStatus.Confirmed));
        Assert.False(OrderRules.HoldsStockAt(OrderStatus.Confirmed, OrderStatus.Shipped)); // a split order: this share left
        Assert.False(OrderRules.HoldsStockAt(OrderStatus.Cancelled, OrderStatus.Allocated));
    }

    [Fact]
    public void Only_an_order_that_could_not_be_allocated_is_routed_again()
    {
        Assert.Equal([OrderStatus.Exception, OrderStatus.AwaitingSubstitution, OrderStatus.Backordered],
            Enum.GetValues<OrderStatus>().Where(OrderRules.CanReroute));
        Assert.DoesNotContain(Enum.GetValues<OrderStatus>(), s => OrderRules.CanReroute(s) && OrderRules.InFulfilment(s));
    }

    [Fact]
    public void A_share_moves_allocated_confirmed_shipped_completed_and_the_order_is_as_far_as_its_least_advanced_share()
    {
        Assert.Equal(OrderStatus.Confirmed, OrderRules.NextStep(OrderStatus.Allocated));
        Assert.Equal(OrderStatus.Shipped, OrderRules.NextStep(OrderStatus.Confirmed));
        Assert.Equal(OrderStatus.Completed, OrderRules.NextStep(OrderStatus.Shipped));
        Assert.Null(OrderRules.NextStep(OrderStatus.Completed));
        Assert.Equal(OrderStatus.Confirmed, OrderRules.LeastAdvanced([OrderStatus.Shipped, OrderStatus.Confirmed, OrderStatus.Completed]));
    }

    [Fact]
    public void A_customer_cannot_cancel_once_a_distributor_confirmed_its_share_but_ops_can_until_one_ships()
    {
        (string, OrderStatus)[] confirmedAtOne = [("d-01", OrderStatus.Confirmed), ("d-02", OrderStatus.Allocated)];
        (string, OrderStatus)[] shippedAtOne = [("d-01", OrderStatus.Shipped), ("d-02", OrderStatus.Confirmed)];

        Assert.Null(OrderRules.WhyNotCancellable(OrderStatus.Allocated, [("d-01", OrderStatus.Allocated)], byOps: false));
        Assert.NotNull(OrderRules.WhyNotCancellable(OrderStatus.Allocated, confirmedAtOne, byOps: false));
        Assert.Null(OrderRules.WhyNotCancellable(OrderStatus.Allocated, confirmedAtOne, byOps: true));
        Assert.Contains("d-01 has shipped", OrderRules.WhyNotCancellable(OrderStatus.Confirmed, shippedAtOne, byOps: true));
        Assert.NotNull(OrderRules.WhyNotCancellable(OrderStatus.Rejected, [], byOps: true));
        Assert.Null(OrderRules.WhyNotCancellable(OrderStatus.Backordered, [], byOps: false));
    }

    [Fact]
    public void Statuses_keep_the_numbers_stored_orders_hold()
    {
        // Orleans stores an enum as its number: renumbering a status would change what every stored order means.
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], Enum.GetValues<OrderStatus>().Select(s => (int)s));
        Assert.Equal(["Allocated", "Confirmed", "Shipped", "Completed", "Rejected", "Cancelled", "Exception", "AwaitingSubstitution", "Backordered",
            "OnHold", "PreOrder"],
            Enum.GetNames<OrderStatus>());
    }
}
