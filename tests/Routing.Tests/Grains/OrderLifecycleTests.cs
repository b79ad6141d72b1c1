using Routing.Contracts.Orders;
using Routing.Domain;

namespace Routing.Tests.Grains;

/// <summary>Placed → Allocated → Confirmed → Shipped → Completed, or Cancelled; each step does its part to stock,
/// campaign and customer, and steps out of order are refused without changing anything.</summary>
[Collection(ClusterCollection.Name)]
public sealed class OrderLifecycleTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Cancelling_an_order_releases_its_stock_its_campaign_units_and_the_customer_limit()
    {
        var scenario = new GrainWorld(cluster);
        var distributor = await scenario.DistributorAsync(onHand: 50);
        var campaign = await scenario.CampaignAsync(cap: 5, perCustomerLimit: 5);
        var (buyer, neighbour) = (await scenario.CustomerAsync(), await scenario.CustomerAsync());
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync();
        var order = (await scenario.OrderAsync(campaign, buyer, quantity: 5, idempotencyKey: "first")).Order!;
        Assert.Equal(OrderStatus.Allocated, order.Status);
        Assert.Equal(PlaceOutcome.SoldOut, (await scenario.OrderAsync(campaign, neighbour, quantity: 1)).Outcome);

        var cancel = await scenario.Order(buyer, "first").CancelAsync("ordered by mistake", byOps: true);

        Assert.Equal(TransitionOutcome.Done, cancel.Outcome);
        Assert.Equal(OrderStatus.Cancelled, cancel.Order!.Status);
        Assert.Equal(0, (await scenario.StockAsync(distributor)).Reserved);
        Assert.Empty(await scenario.Distributor(distributor).GetReservationsAsync());
        await scenario.CampaignSoldAsync(campaign, 0);

        // The campaign has its 5 units again and the buyer its limit: both can buy.
        var again = await scenario.OrderOnceUnitsFlowBackAsync(campaign, buyer, quantity: 4, idempotencyKey: "second");
        Assert.Equal(OrderStatus.Allocated, again.Order!.Status);
        var neighbours = await scenario.OrderOnceUnitsFlowBackAsync(campaign, neighbour, quantity: 1, idempotencyKey: "k-2");
        Assert.Equal(OrderStatus.Allocated, neighbours.Order!.Status);
        Assert.Equal(5, (await scenario.StockAsync(distributor)).Reserved);
        await scenario.CampaignSoldAsync(campaign, 5);

        // Cancelling again is harmless: nothing is given back twice.
        Assert.Equal(TransitionOutcome.Done, (await scenario.Order(buyer, "first").CancelAsync("again", byOps: true)).Outcome);
        Assert.Equal(5, (await scenario.StockAsync(distributor)).Reserved);
        Assert.Equal(PlaceOutcome.SoldOut, (await scenario.OrderAsync(campaign, neighbour, quantity: 1, idempotencyKey: "k-3")).Outcome);
    }

    [Fact]
    public async Task Shipping_takes_the_units_off_hand_and_out_of_reserved_and_only_after_confirmation()
    {
        var scenario = new GrainWorld(cluster);
        var distributor = await scenario.DistributorAsync(onHand: 50);
        var campaign = await scenario.CampaignAsync(cap: 100, perCustomerLimit: 10);
        var customer = await scenario.CustomerAsync();
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync();
        Assert.Equal(OrderStatus.Allocated, (await scenario.OrderAsync(campaign, customer, quantity: 4)).Order!.Status);
        var order = scenario.Order(customer, "k-1");

        Assert.Equal(TransitionOutcome.NotAllowed, (await order.ShipAsync()).Outcome);
        Assert.Equal(TransitionOutcome.NotAllowed, (await order.CompleteAsync()).Outcome);
        Assert.Equal(OrderStatus.Allocated, (await order.GetAsync())!.Status);
        var item = await scenario.StockAsync(distributor);
        Assert.Equal((50, 4), (item.OnHand, item.Reserved));

        Assert.Equal(OrderStatus.Confirmed, (await order.ConfirmAsync()).Order!.Status);
        Assert.Equal(OrderStatus.Shipped, (await order.ShipAsync()).Order!.Status);

        item = await scenario.StockAsync(distributor);
        Assert.Equal((46, 0), (item.OnHand, item.Reserved));
        Assert.Empty(await scenario.Distributor(distributor).GetReservationsAsync());

        Assert.Equal(TransitionOutcome.NotAllowed, (await order.ConfirmAsync()).Outcome);
        Assert.Equal(TransitionOutcome.NotAllowed, (await order.CancelAsync("too late", byOps: true)).Outcome);
        Assert.Equal(OrderStatus.Shipped, (await order.ShipAsync()).Order!.Status);
        Assert.Equal(OrderStatus.Completed, (await order.CompleteAsync()).Order!.Status);
        Assert.Equal(TransitionOutcome.NotAllowed, (await order.CancelAsync("too late", byOps: true)).Outcome);

        item = await scenario.StockAsync(distributor);
        Assert.Equal((46, 0), (item.OnHand, item.Reserved));
        await scenario.CampaignSoldAsync(campaign, 4);
    }
}
