using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Grains.History;

namespace Routing.Tests.Grains;

/// <summary>A distributor's reservations are never written by it: each activation takes a new epoch and rebuilds them
/// from the order journal, and a journal write of reservations made by an earlier activation fails (and its placement
/// reserves again). So the reserved count lives in one place: what the journal's orders hold here.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReservationRebuildTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_new_activation_holds_exactly_what_the_journal_s_orders_hold_and_the_ledger_follows_on()
    {
        var scenario = new GrainWorld(cluster);
        var distributorId = await scenario.DistributorAsync(onHand: 100);
        var distributor = scenario.Distributor(distributorId);
        var customers = await scenario.CustomersAsync(30);
        var campaign = await scenario.CampaignAsync(cap: 1_000, perCustomerLimit: 10);
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync();
        var orders = (await Task.WhenAll(customers.Select(c => scenario.OrderAsync(campaign, c, 2)))).Select(r => r.Order!).ToList();
        Assert.All(orders, o => Assert.Equal(OrderStatus.Allocated, o.Status));

        // Three cancelled, two shipped, and what placements that never wrote their orders leave behind.
        foreach (var order in orders.Take(3))
            Assert.Equal(TransitionOutcome.Done, (await Order(order).CancelAsync("changed my mind", byOps: false)).Outcome);
        foreach (var order in orders.Skip(3).Take(2))
        {
            await Order(order).ConfirmAsync();
            Assert.Equal(OrderStatus.Shipped, (await Order(order).ShipAsync()).Order!.Status);
        }
        var probes = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => distributor.ReserveAsync($"{distributorId}-never-written-{i}", [new OrderLine(scenario.Sku, 1)])));
        Assert.Equal((96, 50 + 5), ((await scenario.StockAsync(distributorId)).OnHand, (await scenario.StockAsync(distributorId)).Reserved));

        await distributor.ReservationsMovedAsync(probes[0].Epoch);
        var open = orders.Skip(5).Select(o => o.OrderId).Order().ToList();
        var rebuilt = await Eventually.UntilAsync(() => distributor.GetReservationsAsync(),
            r => r.All(x => x.Verified), "the distributor to activate again");
        Assert.Equal(open, rebuilt.Select(r => r.OrderId).Order());
        var stock = await scenario.StockAsync(distributorId);
        Assert.Equal((96, 50), (stock.OnHand, stock.Reserved));

        // The ledger goes on from where it was: each movement starts from the one before, the last ends at 50 reserved,
        // and the 5 units no order wrote were given back by one movement saying why.
        var ledger = await Eventually.UntilAsync(async () => (await cluster.History.LedgerAsync(distributorId, 1, 1_000)).Items.OrderBy(m => m.Seq).ToList(),
            m => m.Count > 0 && m[^1].ReservedAfter == 50, "the ledger to reach the rebuilt count");
        Assert.Equal(Enumerable.Range(1, ledger.Count).Select(i => (long)i), ledger.Select(m => m.Seq));
        for (var i = 1; i < ledger.Count; i++)
            Assert.Equal((ledger[i - 1].OnHandAfter, ledger[i - 1].ReservedAfter), (ledger[i].OnHandBefore, ledger[i].ReservedBefore));
        Assert.Single(ledger, m => m is { Kind: MovementKind.Release, Quantity: -5, OrderId: null });

        // A write fenced with the old activation's epoch fails; with the new one's it lands.
        var current = (await distributor.ReserveAsync(open[0], [new OrderLine(scenario.Sku, 2)])).Epoch;
        Assert.True(current > probes[0].Epoch);
        var (version, state) = await cluster.History.ReadAsync(open[0]);
        var listed = orders.Single(o => o.OrderId == open[0]);
        var moved = await Assert.ThrowsAsync<ReservationsMovedException>(() =>
            cluster.History.WriteAsync(new OrderRecord(listed, 1, state!, [new ReservationFence(distributorId, probes[0].Epoch)]), version));
        Assert.Equal([distributorId], moved.Stale);
        // It crosses grain calls as itself (the API answers it as a write conflict).
        var serializer = cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        var copy = Assert.IsType<ReservationsMovedException>(serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(moved)));
        Assert.Equal(moved.Message, copy.Message);
        Assert.Equal(moved.Stale, copy.Stale);
        Assert.Equal(version + 1, await cluster.History.WriteAsync(new OrderRecord(listed, 1, state!, [new ReservationFence(distributorId, current)]), version));
    }

    [Fact]
    public async Task Placements_racing_reactivations_of_their_distributor_never_oversell_and_every_acknowledged_order_holds_its_units()
    {
        var scenario = new GrainWorld(cluster);
        var distributorId = await scenario.DistributorAsync(onHand: 120);
        var distributor = scenario.Distributor(distributorId);
        var customers = await scenario.CustomersAsync(200);
        var campaign = await scenario.CampaignAsync(cap: 1_000, perCustomerLimit: 5);
        await scenario.UntilEverySiloRoutesWithCurrentStockAsync();

        // 200 customers in waves of 40 against 120 units, while the distributor is sent away twice during each wave:
        // each new activation rebuilds from the journal, and a placement that reserved at the one before must reserve again.
        var moves = 0;
        async Task MoveAsync()
        {
            var probe = await distributor.ReserveAsync($"{distributorId}-probe-{moves}", [new OrderLine(scenario.Sku, 1)]);
            await distributor.ReservationsMovedAsync(probe.Epoch);
            moves++;
        }
        async Task<OrderView?> PlaceAsync(string customer)
        {
            try
            {
                return (await scenario.OrderAsync(campaign, customer, 1)).Order;
            }
            catch (ReservationsMovedException)
            {
                return null; // moved on more often than a placement tries again: not acknowledged, nothing held
            }
        }
        var placed = new List<OrderView?>();
        foreach (var wave in customers.Chunk(40))
        {
            var orders = Task.WhenAll(wave.Select(PlaceAsync));
            for (var i = 0; i < 2; i++)
            {
                await Task.Delay(Random.Shared.Next(0, 10));
                await MoveAsync();
            }
            placed.AddRange(await orders);
        }
        Assert.Equal(10, moves);

        var acknowledged = placed.Where(o => o?.Status == OrderStatus.Allocated).Select(o => o!.OrderId).ToHashSet();
        Assert.InRange(acknowledged.Count, 1, 120);
        async Task HeldByAcknowledgedOrdersAsync()
        {
            // (The mover's last probe may still be held: it is no order's.)
            var held = (await distributor.GetReservationsAsync()).Select(r => r.OrderId).Where(id => !id.Contains("-probe-", StringComparison.Ordinal)).ToHashSet();
            Assert.Equal(acknowledged.Order(), held.Order());
            var stock = await scenario.StockAsync(distributorId);
            Assert.InRange(stock.Reserved, acknowledged.Count, stock.OnHand);
        }
        await HeldByAcknowledgedOrdersAsync();

        // Once more: what the journal's orders hold is exactly what the acknowledged orders hold, within on hand.
        await distributor.ReservationsMovedAsync((await distributor.ReserveAsync($"{distributorId}-last-probe", [new OrderLine(scenario.Sku, 1)])).Epoch);
        var rebuilt = await Eventually.UntilAsync(() => distributor.GetReservationsAsync(), r => r.All(x => x.Verified), "the distributor to activate again");
        Assert.Equal(acknowledged.Order(), rebuilt.Select(r => r.OrderId).Order());
        var after = await scenario.StockAsync(distributorId);
        Assert.Equal((120, acknowledged.Count), (after.OnHand, after.Reserved));
    }

    private IOrderGrain Order(OrderView order) => cluster.Client.GetGrain<IOrderGrain>(order.OrderId);
}
