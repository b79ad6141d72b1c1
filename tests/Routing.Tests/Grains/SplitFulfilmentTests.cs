using System.Text.Json;
using Routing.Contracts.Orders;
using Routing.Domain;

namespace Routing.Tests.Grains;

/// <summary>An order split across distributors is fulfilled per distributor share: each distributor confirms, ships
/// (off its own stock only) and completes its share, the order's status is its least advanced share's, and ops may move
/// every share at once.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SplitFulfilmentTests(ClusterFixture cluster)
{
    private const int OnHand = 6, Quantity = 10;

    [Fact]
    public async Task Each_distributor_confirms_and_ships_only_its_own_share_and_the_order_follows_the_least_advanced()
    {
        var (scenario, _, order, placed, a, b) = await SplitOrderAsync();
        var (atA, atB) = (Units(placed, a), Units(placed, b));

        Assert.Equal(OrderStatus.Allocated, (await order.ConfirmAsync(a)).Order!.Status);
        var shipped = (await order.ShipAsync(a)).Order!;

        Assert.Equal(OrderStatus.Allocated, shipped.Status);
        Assert.Equal((OrderStatus.Shipped, OrderStatus.Allocated), (StatusOf(shipped, a), StatusOf(shipped, b)));
        Assert.Equal((OnHand - atA, 0), await OnHandAndReservedAsync(scenario, a));
        Assert.Equal((OnHand, atB), await OnHandAndReservedAsync(scenario, b));

        Assert.Equal(OrderStatus.Confirmed, (await order.ConfirmAsync(b)).Order!.Status);
        Assert.Equal(OrderStatus.Shipped, (await order.ShipAsync(b)).Order!.Status);
        Assert.Equal((OnHand - atB, 0), await OnHandAndReservedAsync(scenario, b));

        Assert.Equal(OrderStatus.Shipped, (await order.CompleteAsync(b)).Order!.Status);
        var completed = (await order.CompleteAsync(a)).Order!;
        Assert.Equal(OrderStatus.Completed, completed.Status);
        Assert.All(completed.Shares, s => Assert.Equal(OrderStatus.Completed, s.Status));
        Assert.Equal(Json(completed), Json(await order.GetAsync()));
        Assert.Equal((OnHand - atA, 0), await OnHandAndReservedAsync(scenario, a));
    }

    [Fact]
    public async Task A_step_a_share_is_not_ready_for_or_for_a_distributor_without_a_share_changes_nothing()
    {
        var (scenario, _, order, placed, a, b) = await SplitOrderAsync();
        var outsider = await scenario.DistributorAsync(OnHand);
        await order.ConfirmAsync(a);
        var before = (await order.GetAsync())!;

        Assert.Equal(TransitionOutcome.NotAllowed, (await order.ConfirmAsync(outsider)).Outcome);
        Assert.Equal(TransitionOutcome.NotAllowed, (await order.ShipAsync(outsider)).Outcome);
        Assert.Equal(TransitionOutcome.NotAllowed, (await order.ShipAsync(b)).Outcome);     // B has not confirmed
        Assert.Equal(TransitionOutcome.NotAllowed, (await order.CompleteAsync(a)).Outcome); // A has not shipped
        Assert.Equal(TransitionOutcome.NotAllowed, (await order.ShipAsync()).Outcome);      // all at once: B has not confirmed

        Assert.Equal(Json(before), Json(await order.GetAsync()));
        Assert.Equal((OnHand, Units(placed, a)), await OnHandAndReservedAsync(scenario, a));
        Assert.Equal((OnHand, Units(placed, b)), await OnHandAndReservedAsync(scenario, b));
        Assert.Equal((OnHand, 0), await OnHandAndReservedAsync(scenario, outsider));

        // Repeating a step a share has taken is harmless and changes nothing either.
        var again = await order.ConfirmAsync(a);
        Assert.Equal(TransitionOutcome.Done, again.Outcome);
        Assert.Equal(Json(before), Json(again.Order));
    }

    [Fact]
    public async Task Ops_move_one_share_or_every_share_at_once_and_each_distributor_ships_its_own_units()
    {
        var (scenario, _, order, placed, a, b) = await SplitOrderAsync();
        var (atA, atB) = (Units(placed, a), Units(placed, b));

        var one = (await order.ConfirmAsync(a)).Order!;
        Assert.Equal((OrderStatus.Confirmed, OrderStatus.Allocated), (StatusOf(one, a), StatusOf(one, b)));
        Assert.Equal(TransitionOutcome.NotAllowed, (await order.ShipAsync()).Outcome); // B has not confirmed: nothing ships
        Assert.Equal((OnHand, atA), await OnHandAndReservedAsync(scenario, a));
        Assert.Equal(OrderStatus.Confirmed, (await order.ConfirmAsync()).Order!.Status); // A's a harmless repeat, B's moves
        Assert.Equal(OrderStatus.Confirmed, (await order.ShipAsync(a)).Order!.Status);
        Assert.Equal((OnHand, atB), await OnHandAndReservedAsync(scenario, b));

        var shipped = (await order.ShipAsync()).Order!;

        Assert.Equal(OrderStatus.Shipped, shipped.Status);
        Assert.All(shipped.Shares, s => Assert.Equal(OrderStatus.Shipped, s.Status));
        Assert.Equal((OnHand - atA, 0), await OnHandAndReservedAsync(scenario, a));
        Assert.Equal((OnHand - atB, 0), await OnHandAndReservedAsync(scenario, b));
        Assert.Equal(OrderStatus.Completed, (await order.CompleteAsync()).Order!.Status);
    }

    [Fact]
    public async Task Concurrent_steps_by_both_distributors_on_many_split_orders_end_consistent()
    {
        const int orders = 6;
        var scenario = new GrainWorld(cluster);
        var policy = await SplitPolicyAsync(scenario);
        var (a, b) = (await scenario.DistributorAsync(OnHand), await scenario.DistributorAsync(OnHand));
        var campaign = await scenario.CampaignAsync(cap: 10_000, perCustomerLimit: Quantity, policyId: policy.Id);
        var customers = await scenario.CustomersAsync(orders);
        var grains = new List<IOrderGrain>();
        foreach (var customer in customers)
        {
            // Before each order, each distributor has OnHand units free again: never enough for a whole order.
            foreach (var d in new[] { a, b })
                await scenario.Distributor(d).SetStockAsync(scenario.Sku, (await scenario.StockAsync(d)).Reserved + OnHand, 0);
            await scenario.UntilEverySiloRoutesWithCurrentStockAsync(policy.Id);
            Assert.Equal(2, (await scenario.OrderAsync(campaign, customer, Quantity)).Order!.Shares.Count);
            grains.Add(scenario.Order(customer, "k-1"));
        }
        var placed = (await Task.WhenAll(grains.Select(g => g.GetAsync()))).Select(o => o!).ToList();
        var (unitsA, unitsB) = (placed.Sum(o => Units(o, a)), placed.Sum(o => Units(o, b)));
        var (onHandA, onHandB) = ((await scenario.StockAsync(a)).OnHand, (await scenario.StockAsync(b)).OnHand);

        // On every order at once: A confirms and then ships while B confirms, each step twice at once. (A confirm after
        // the share has shipped would be refused, not a repeat: so A's confirms both finish before its ships start.)
        async Task<TransitionResult[]> AConfirmsAndShipsAsync(IOrderGrain g) =>
            [.. await Task.WhenAll(g.ConfirmAsync(a), g.ConfirmAsync(a)), .. await Task.WhenAll(g.ShipAsync(a), g.ShipAsync(a))];
        var firsts = await Task.WhenAll(grains.SelectMany(g => new[] { AConfirmsAndShipsAsync(g), Task.WhenAll(g.ConfirmAsync(b), g.ConfirmAsync(b)) }));

        Assert.All(firsts.SelectMany(r => r), r => Assert.Equal(TransitionOutcome.Done, r.Outcome));
        Assert.All(await Task.WhenAll(grains.Select(g => g.GetAsync())), o =>
        {
            Assert.Equal(OrderStatus.Confirmed, o!.Status);
            Assert.Equal((OrderStatus.Shipped, OrderStatus.Confirmed), (StatusOf(o, a), StatusOf(o, b)));
        });
        Assert.Equal((onHandA - unitsA, 0), await OnHandAndReservedAsync(scenario, a));
        Assert.Equal((onHandB, unitsB), await OnHandAndReservedAsync(scenario, b));

        // Then B ships while A completes, each twice.
        var seconds = await Task.WhenAll(grains.SelectMany(g => new[] { g.ShipAsync(b), g.CompleteAsync(a), g.ShipAsync(b), g.CompleteAsync(a) }));

        Assert.All(seconds, r => Assert.Equal(TransitionOutcome.Done, r.Outcome));
        Assert.All(await Task.WhenAll(grains.Select(g => g.GetAsync())), o =>
        {
            Assert.Equal(OrderStatus.Shipped, o!.Status);
            Assert.Equal((OrderStatus.Completed, OrderStatus.Shipped), (StatusOf(o, a), StatusOf(o, b)));
        });
        Assert.Equal((onHandA - unitsA, 0), await OnHandAndReservedAsync(scenario, a));
        Assert.Equal((onHandB - unitsB, 0), await OnHandAndReservedAsync(scenario, b));
        Assert.Empty(await scenario.Distributor(a).GetReservationsAsync());
        Assert.Empty(await scenario.Distributor(b).GetReservationsAsync());
    }

    [Fact]
    public async Task A_partly_confirmed_order_can_be_cancelled_but_a_partly_shipped_one_cannot()
    {
        var (scenario, campaign, confirmedAtA, _, a, b) = await SplitOrderAsync();
        await confirmedAtA.ConfirmAsync(a);

        var cancelled = await confirmedAtA.CancelAsync("ops: the customer called", byOps: true);

        Assert.Equal(OrderStatus.Cancelled, cancelled.Order!.Status);
        Assert.Equal((OnHand, 0), await OnHandAndReservedAsync(scenario, a));
        Assert.Equal((OnHand, 0), await OnHandAndReservedAsync(scenario, b));

        var customer = await scenario.CustomerAsync();
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync();
        var placed = (await scenario.OrderAsync(campaign, customer, Quantity)).Order!;
        Assert.Equal(2, placed.Shares.Count);
        var shippedAtA = scenario.Order(customer, "k-1");
        await shippedAtA.ConfirmAsync(a);
        await shippedAtA.ShipAsync(a);
        var before = (await shippedAtA.GetAsync())!;

        Assert.Equal(TransitionOutcome.NotAllowed, (await shippedAtA.CancelAsync("too late", byOps: true)).Outcome);
        Assert.Equal(Json(before), Json(await shippedAtA.GetAsync()));
        Assert.Equal(Units(placed, b), (await scenario.StockAsync(b)).Reserved);
    }

    /// <summary>An allocated order of <see cref="Quantity"/> units split between two distributors of
    /// <see cref="OnHand"/> units each (neither can fill it alone).</summary>
    private async Task<(GrainWorld Scenario, string Campaign, IOrderGrain Order, OrderView Placed, string A, string B)> SplitOrderAsync()
    {
        var scenario = new GrainWorld(cluster);
        var policy = await SplitPolicyAsync(scenario);
        var (a, b) = (await scenario.DistributorAsync(OnHand), await scenario.DistributorAsync(OnHand));
        var campaign = await scenario.CampaignAsync(cap: 10_000, perCustomerLimit: Quantity, policyId: policy.Id);
        var customer = await scenario.CustomerAsync();
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync(policy.Id);
        var placed = (await scenario.OrderAsync(campaign, customer, Quantity)).Order!;
        Assert.Equal(OrderStatus.Allocated, placed.Status);
        Assert.Equal((OrderStatus.Allocated, OrderStatus.Allocated), (StatusOf(placed, a), StatusOf(placed, b)));
        return (scenario, campaign, scenario.Order(customer, "k-1"), placed, a, b);
    }

    private static Task<RoutingPolicy> SplitPolicyAsync(GrainWorld scenario) =>
        scenario.PolicyAsync(new RoutingPolicy("split", HomeFirst: false, Weights: new RankingWeights(),
            Split: SplitPolicy.SplitQuantity, MaxSplits: 2, SuggestSubstitutes: false, Fallback: FallbackAction.Reject));

    private static int Units(OrderView order, string distributorId) =>
        order.Allocations.Where(x => x.DistributorId == distributorId).Sum(x => x.Quantity);

    private static OrderStatus StatusOf(OrderView order, string distributorId) =>
        Assert.Single(order.Shares, s => s.DistributorId == distributorId).Status;

    /// <summary>The order as its JSON: records holding lists compare those by reference, not by content.</summary>
    private static string Json(OrderView? order) => JsonSerializer.Serialize(order);

    private static async Task<(int OnHand, int Reserved)> OnHandAndReservedAsync(GrainWorld scenario, string distributorId)
    {
        var item = await scenario.StockAsync(distributorId);
        return (item.OnHand, item.Reserved);
    }
}
