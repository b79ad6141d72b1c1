using Routing.Contracts.Orders;
using Routing.Domain;

namespace Routing.Tests.Grains;

/// <summary>A campaign never sells past its cap, and a customer never buys past the campaign's limit, however
/// many orders race each other on however many silos.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CampaignTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Campaign_never_sells_past_its_cap_under_concurrent_orders()
    {
        const int cap = 50;
        var scenario = new GrainWorld(cluster);
        await scenario.DistributorAsync(onHand: 1_000);
        await scenario.DistributorAsync(onHand: 1_000);
        var campaign = await scenario.CampaignAsync(cap, perCustomerLimit: 5);
        var customers = await scenario.CustomersAsync(150);
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync();

        // 1 to 3 units each: about 300 units asked for against a cap of 50, through both silos' quota holders.
        var results = await Task.WhenAll(customers.Select((c, i) => scenario.OrderAsync(campaign, c, quantity: 1 + i % 3)));

        var sold = results.Where(r => r.Outcome == PlaceOutcome.Created).Select(r => r.Order!).ToList();
        Assert.All(sold, o => Assert.Equal(OrderStatus.Allocated, o.Status));
        Assert.All(results.Where(r => r.Outcome != PlaceOutcome.Created), r => Assert.Equal(PlaceOutcome.SoldOut, r.Outcome));
        var units = sold.Sum(o => o.Allocations.Sum(a => a.Quantity));
        Assert.InRange(units, 1, cap);

        var reserved = 0;
        foreach (var d in scenario.Distributors) reserved += (await scenario.StockAsync(d)).Reserved;
        Assert.Equal(units, reserved);

        var view = await scenario.CampaignSoldAsync(campaign, units);
        Assert.True(view.Sold <= cap, $"sold {view.Sold} of a cap of {cap}");
    }

    [Fact]
    public async Task Campaign_sells_exactly_its_cap_once_units_left_idle_in_a_silo_flow_back()
    {
        const int cap = 30;
        var scenario = new GrainWorld(cluster);
        var distributor = await scenario.DistributorAsync(onHand: 1_000);
        var campaign = await scenario.CampaignAsync(cap, perCustomerLimit: 5);
        var customers = await scenario.CustomersAsync(90);
        var latecomers = new Queue<string>(await scenario.CustomersAsync(cap + 1));
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync();

        var rush = await Task.WhenAll(customers.Select(c => scenario.OrderAsync(campaign, c, quantity: 1)));
        var allocated = rush.Where(r => r.Outcome == PlaceOutcome.Created).Select(r => r.Order!).ToList();
        Assert.All(allocated, o => Assert.Equal(OrderStatus.Allocated, o.Status));
        Assert.InRange(allocated.Count, 4, cap);
        // Cancelling puts units back in the pool of whichever silo holds each order, so some are surely left.
        foreach (var order in allocated.Take(3))
            Assert.Equal(TransitionOutcome.Done, (await scenario.Grains.GetGrain<IOrderGrain>(order.OrderId).CancelAsync("changed my mind", byOps: true)).Outcome);
        var remaining = cap - (allocated.Count - 3);

        for (var i = 0; i < remaining; i++)
        {
            var later = await scenario.OrderOnceUnitsFlowBackAsync(campaign, latecomers.Dequeue(), quantity: 1, idempotencyKey: "late");
            Assert.Equal(PlaceOutcome.Created, later.Outcome);
            Assert.Equal(OrderStatus.Allocated, later.Order!.Status);
        }
        var tooLate = await scenario.OrderAsync(campaign, latecomers.Dequeue(), quantity: 1);

        Assert.Equal(PlaceOutcome.SoldOut, tooLate.Outcome);
        Assert.Null(tooLate.Order);
        var view = await scenario.CampaignSoldAsync(campaign, cap);
        Assert.Equal(CampaignStatus.SoldOut, view.Status);
        Assert.Equal(cap, (await scenario.StockAsync(distributor)).Reserved);
    }

    [Fact]
    public async Task Customer_never_buys_past_the_campaign_limit_under_concurrent_orders()
    {
        const int limit = 5;
        var scenario = new GrainWorld(cluster);
        var distributor = await scenario.DistributorAsync(onHand: 1_000);
        var campaign = await scenario.CampaignAsync(cap: 1_000, perCustomerLimit: limit);
        var customer = await scenario.CustomerAsync();
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync();

        var results = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => scenario.OrderAsync(campaign, customer, quantity: 1, idempotencyKey: $"k-{i}")));

        var bought = results.Where(r => r.Outcome == PlaceOutcome.Created).Select(r => r.Order!).ToList();
        Assert.Equal(limit, bought.Count);
        Assert.All(bought, o => Assert.Equal(OrderStatus.Allocated, o.Status));
        Assert.All(results.Except(results.Where(r => r.Outcome == PlaceOutcome.Created)), r =>
        {
            Assert.Equal(PlaceOutcome.LimitExceeded, r.Outcome);
            Assert.Null(r.Order);
        });
        Assert.Equal(limit, (await scenario.StockAsync(distributor)).Reserved);
        // The refused orders gave their campaign units back.
        await scenario.CampaignSoldAsync(campaign, limit);
    }

    [Fact]
    public async Task A_customers_limit_is_rebuilt_from_the_order_journal_when_its_grain_comes_back()
    {
        const int limit = 5;
        var scenario = new GrainWorld(cluster);
        await scenario.DistributorAsync(onHand: 1_000);
        var campaign = await scenario.CampaignAsync(cap: 1_000, perCustomerLimit: limit);
        var customer = await scenario.CustomerAsync();
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync();
        Assert.Equal(PlaceOutcome.Created, (await scenario.OrderAsync(campaign, customer, quantity: 2, idempotencyKey: "k-1")).Outcome);
        Assert.Equal(PlaceOutcome.Created, (await scenario.OrderAsync(campaign, customer, quantity: 3, idempotencyKey: "k-2")).Outcome);

        // Every idle activation is gone, the customer's with it: its counts are not stored, the journal holds the orders.
        await cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(PlaceOutcome.LimitExceeded, (await scenario.OrderAsync(campaign, customer, quantity: 1, idempotencyKey: "k-3")).Outcome);

        // A cancelled order's units count no more, after the next rebuild too.
        Assert.Equal(TransitionOutcome.Done, (await scenario.Order(customer, "k-1").CancelAsync("changed my mind", byOps: true)).Outcome);
        await cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        // The directory was collected too: the order right after its return waits for its snapshots, never "no distributor".
        Assert.Equal(PlaceOutcome.Created, (await scenario.OrderAsync(campaign, customer, quantity: 2, idempotencyKey: "k-4")).Outcome);
        Assert.Equal(PlaceOutcome.LimitExceeded, (await scenario.OrderAsync(campaign, customer, quantity: 1, idempotencyKey: "k-5")).Outcome);
    }
}
