using Routing.Contracts.Distributors;
using Routing.Domain;
using Routing.Domain.Explaining;

namespace Routing.Tests.Grains;

/// <summary>Reservations that arrive together reach a distributor as one call (<see cref="IDistributorGrain.ReserveManyAsync"/>):
/// each order in it is still all or nothing and answered alone, a refused one changes nothing, and a repeat reserves
/// nothing twice.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReservationBatchTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_batch_reserves_each_order_all_or_nothing_and_answers_each_alone()
    {
        var scenario = new GrainWorld(cluster);
        var distributorId = await scenario.DistributorAsync(onHand: 10);
        var distributor = scenario.Distributor(distributorId);
        ReservationRequest Request(string id, int quantity, string? other = null) =>
            new($"{distributorId}-{id}", other is null ? [new OrderLine(scenario.Sku, quantity)] : [new OrderLine(scenario.Sku, quantity), new OrderLine(other, 1)], "c-1");

        var answers = await distributor.ReserveManyAsync([
            Request("a", 4),
            Request("too-many", 7),            // 6 left after a: refused whole
            Request("unknown-sku", 1, "NOPE"),  // one line it cannot fill: none of its lines reserved
            Request("b", 6),
            Request("a", 4),                    // a repeat in the same batch: reserved once
        ]);

        Assert.Equal([true, false, false, true, true], answers.Select(a => a.Success));
        Assert.True(answers[1].Refusal is StockShort { Available: 6 }, answers[1].Reason);
        Assert.Equal(10, (await scenario.StockAsync(distributorId)).Reserved);
        var reservations = await distributor.GetReservationsAsync();
        Assert.Equal([$"{distributorId}-a", $"{distributorId}-b"], reservations.Select(r => r.OrderId).Order());
        Assert.All(reservations, r => Assert.Equal("c-1", r.CustomerId));

        // The same batch again changes nothing.
        var again = await distributor.ReserveManyAsync([Request("a", 4), Request("b", 6)]);
        Assert.All(again, a => Assert.True(a.Success));
        Assert.Equal(10, (await scenario.StockAsync(distributorId)).Reserved);
    }

    [Fact]
    public async Task Placements_arriving_together_through_the_batches_never_oversell()
    {
        var scenario = new GrainWorld(cluster);
        var distributorId = await scenario.DistributorAsync(onHand: 150);
        var customers = await scenario.CustomersAsync(200);
        var campaign = await scenario.CampaignAsync(cap: 1_000, perCustomerLimit: 5);
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync();

        // 200 customers at once against 150 units at the only distributor, through the silo's reservation batches.
        var results = await Task.WhenAll(customers.Select(c => scenario.OrderAsync(campaign, c, 1)));

        var allocated = results.Count(r => r.Order?.Status == OrderStatus.Allocated);
        Assert.Equal(150, allocated);
        var stock = await scenario.StockAsync(distributorId);
        Assert.Equal((150, 150), (stock.OnHand, stock.Reserved));
        Assert.Equal(150, (await scenario.Distributor(distributorId).GetReservationsAsync()).Count);
    }

    [Fact]
    public async Task A_retry_that_routed_differently_is_covered_whole_and_its_check_trims_it_to_its_order()
    {
        var scenario = new GrainWorld(cluster);
        var distributorId = await scenario.DistributorAsync(onHand: 10);
        var distributor = scenario.Distributor(distributorId);
        var orderId = $"{distributorId}-o";
        ReservationRequest Request(int quantity) => new(orderId, [new OrderLine(scenario.Sku, quantity)], "c-1");

        // The first attempt reserved 4 here (and 1 elsewhere); its retry routes all 5 here: the reservation must hold 5,
        // whichever attempt's record becomes the order.
        Assert.True((await distributor.ReserveManyAsync([Request(4)]))[0].Success);
        Assert.True((await distributor.ReserveManyAsync([Request(5)]))[0].Success);
        Assert.Equal(5, (await scenario.StockAsync(distributorId)).Reserved);
        Assert.Equal(5, Assert.Single(await distributor.GetReservationsAsync()).Lines.Sum(l => l.Quantity));
        // Less than it holds changes nothing; more than is left is refused and changes nothing either.
        Assert.True((await distributor.ReserveManyAsync([Request(3)]))[0].Success);
        Assert.False((await distributor.ReserveManyAsync([Request(11)]))[0].Success);
        Assert.Equal(5, (await scenario.StockAsync(distributorId)).Reserved);

        // Its check finds the order allocating 4 here: the reservation keeps 4, verified; the other unit is available again.
        var reservation = Assert.Single(await distributor.GetReservationsAsync());
        await distributor.SettleReservationsAsync([reservation with { Lines = [new OrderLine(scenario.Sku, 4)] }], []);
        var settled = Assert.Single(await distributor.GetReservationsAsync());
        Assert.True(settled.Verified);
        Assert.Equal(4, settled.Lines.Sum(l => l.Quantity));
        var stock = await scenario.StockAsync(distributorId);
        Assert.Equal((4, 6), (stock.Reserved, stock.Available));
    }

    [Fact]
    public async Task A_failed_attempt_gives_back_only_its_own_claim_so_another_attempt_of_the_order_keeps_the_reservation()
    {
        var scenario = new GrainWorld(cluster);
        var distributorId = await scenario.DistributorAsync(onHand: 10);
        var distributor = scenario.Distributor(distributorId);
        var orderId = $"{distributorId}-o";
        ReservationRequest Attempt(long attemptId) => new(orderId, [new OrderLine(scenario.Sku, 3)], "c-1", attemptId);

        // Two attempts of one order (its retry reached a second activation of the customer's grain while the first
        // was still in flight): both reserve here under the order id.
        Assert.True((await distributor.ReserveManyAsync([Attempt(1)]))[0].Success);
        Assert.True((await distributor.ReserveManyAsync([Attempt(2)]))[0].Success);

        // The second fails elsewhere and gives back: the first (which may have written the order) keeps the units.
        await distributor.ReleaseAttemptAsync(orderId, 2);
        await distributor.ReleaseAttemptAsync(orderId, 2); // a repeat changes nothing
        Assert.Equal(3, (await scenario.StockAsync(distributorId)).Reserved);
        var kept = Assert.Single(await distributor.GetReservationsAsync());
        Assert.NotNull(kept.Attempts);
        Assert.Equal([1], kept.Attempts);

        // The first gives back too: nobody claims it any more.
        await distributor.ReleaseAttemptAsync(orderId, 1);
        Assert.Equal(0, (await scenario.StockAsync(distributorId)).Reserved);
        Assert.Empty(await distributor.GetReservationsAsync());

        // Once verified (its order's record holds it), no attempt's give-back releases it; a cancellation's release does.
        Assert.True((await distributor.ReserveManyAsync([Attempt(3)]))[0].Success);
        await distributor.SettleReservationsAsync([Assert.Single(await distributor.GetReservationsAsync())], []);
        await distributor.ReleaseAttemptAsync(orderId, 3);
        Assert.Equal(3, (await scenario.StockAsync(distributorId)).Reserved);
        // Nor does the give-back of an attempt that widened it afterwards: the record's claim stays until the next check.
        Assert.True((await distributor.ReserveManyAsync([Attempt(4) with { Lines = [new OrderLine(scenario.Sku, 4)] }]))[0].Success);
        await distributor.ReleaseAttemptAsync(orderId, 4);
        Assert.Equal(4, (await scenario.StockAsync(distributorId)).Reserved);
        await distributor.ReleaseAsync(orderId);
        Assert.Equal(0, (await scenario.StockAsync(distributorId)).Reserved);
    }
}
