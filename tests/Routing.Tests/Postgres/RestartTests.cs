using Routing.Contracts.Alerts;
using Routing.Contracts.Campaigns;
using Routing.Contracts.Customers;
using Routing.Contracts.Distributors;
using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Domain.Rules;

namespace Routing.Tests.Postgres;

/// <summary>What survives stopping the whole cluster, and what its durable reminders and timers do after.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RestartTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_whole_cluster_restart_keeps_every_campaign_order_reservation_and_alert()
    {
        var db = await postgres.CreateDatabaseAsync("restart");
        Dictionary<string, OrderView> orders = [];
        IReadOnlyList<Reservation> reservations;
        IReadOnlyList<InventoryItem> inventory;
        IReadOnlyList<Alert> alerts;
        CampaignView campaignBefore;
        PgWorld world;
        string campaign;
        await using (var cluster = await PostgresCluster.StartAsync(db, "restart", silos: 2))
        {
            world = new PgWorld(cluster, db);
            await world.SetUpAsync(distributors: 2, onHandEach: 20, customers: 15);
            campaign = await world.CampaignAsync(cap: 100, perCustomerLimit: 10, minUnits: 1, endsAt: DateTimeOffset.UtcNow.AddHours(1));
            await world.UntilEverySiloRoutesWithCurrentStockAsync();
            foreach (var (customer, i) in world.Customers.Select((c, i) => (c, i)))
            {
                var placed = await world.OrderAsync(campaign, customer, 3, $"k-{i}");
                orders[placed.Order!.OrderId] = placed.Order;
            }
            Assert.Contains(orders.Values, o => o.Status == OrderStatus.Allocated);
            Assert.Contains(orders.Values, o => o.Status == OrderStatus.Rejected); // 45 units wanted, 40 in stock: the last orders do not fit whole
            reservations = await world.Grains.GetGrain<IDistributorGrain>(world.Distributors[0]).GetReservationsAsync();
            inventory = await world.Grains.GetGrain<IDistributorGrain>(world.Distributors[0]).GetInventoryAsync();
            Assert.All(inventory, i => Assert.True(i.VelocityPerDay > 0));
            alerts = await world.Grains.GetGrain<IAlertLogGrain>(0).ListAsync(new AlertQuery());
            Assert.NotEmpty(alerts); // low and out of stock, allocation failed
            campaignBefore = (await Eventually.UntilAsync(() => world.Grains.GetGrain<ICampaignGrain>(campaign).GetAsync(),
                v => v!.Sold == orders.Values.Where(o => o.Status == OrderStatus.Allocated).Sum(o => o.Lines[0].Quantity), "sales reported"))!;
        }

        await using (var cluster = await PostgresCluster.StartAsync(db, "restart", silos: 2))
        {
            world.Cluster = cluster;
            foreach (var (id, before) in orders)
            {
                var after = await world.Grains.GetGrain<IOrderGrain>(id).GetAsync();
                Assert.NotNull(after);
                Assert.Equal(before.Status, after.Status);
                Assert.Equal(before.Allocations, after.Allocations);
            }
            var reservationsAfter = await world.Grains.GetGrain<IDistributorGrain>(world.Distributors[0]).GetReservationsAsync();
            Assert.Equal(reservations.Select(r => (r.OrderId, r.Lines.Sum(l => l.Quantity))).Order(),
                reservationsAfter.Select(r => (r.OrderId, r.Lines.Sum(l => l.Quantity))).Order());
            // The forecast's velocity is kept with the stock: after the restart it has only decayed by the minutes that
            // passed (a half-life of 6 hours), never reset.
            var inventoryAfter = await world.Grains.GetGrain<IDistributorGrain>(world.Distributors[0]).GetInventoryAsync();
            foreach (var (was, now) in inventory.Zip(inventoryAfter))
                Assert.InRange(now.VelocityPerDay, was.VelocityPerDay * 0.9, was.VelocityPerDay);
            var alertsAfter = await world.Grains.GetGrain<IAlertLogGrain>(0).ListAsync(new AlertQuery());
            Assert.Equal(alerts.Select(a => (a.Id, a.Kind, a.DedupeKey)), alertsAfter.Select(a => (a.Id, a.Kind, a.DedupeKey)));
            var campaignAfter = await world.Grains.GetGrain<ICampaignGrain>(campaign).GetAsync();
            Assert.Equal((campaignBefore.Sold, campaignBefore.Status), (campaignAfter!.Sold, campaignAfter.Status));
            Assert.True(campaignBefore.Definition.SameAs(campaignAfter.Definition));
            Assert.Empty(await CrashRecoveryTests.ConsistencyAsync(world));
        }
    }

    [Fact]
    public async Task A_campaign_that_ends_below_its_minimum_is_wound_up_by_its_reminder_after_a_restart()
    {
        var db = await postgres.CreateDatabaseAsync("notformed");
        PgWorld world;
        string campaign;
        List<OrderView> placed = [];
        await using (var cluster = await PostgresCluster.StartAsync(db, "notformed", silos: 2))
        {
            world = new PgWorld(cluster, db);
            await world.SetUpAsync(distributors: 2, onHandEach: 50, customers: 4);
            campaign = await world.CampaignAsync(cap: 100, perCustomerLimit: 10, minUnits: 50, endsAt: DateTimeOffset.UtcNow.AddSeconds(8));
            await world.UntilEverySiloRoutesWithCurrentStockAsync();
            foreach (var (customer, i) in world.Customers.Select((c, i) => (c, i)))
                placed.Add((await world.OrderAsync(campaign, customer, 2, $"k-{i}")).Order!);
            Assert.All(placed, o => Assert.Equal(OrderStatus.Allocated, o.Status));
            Assert.Equal(8, (await world.InventoryAsync()).Values.Sum(i => i.Reserved));
        } // the whole cluster stops before the campaign ends: only the durable reminder can close it

        await using (var cluster = await PostgresCluster.StartAsync(db, "notformed", silos: 2))
        {
            world.Cluster = cluster;
            foreach (var order in placed)
                await Eventually.UntilAsync(() => world.Grains.GetGrain<IOrderGrain>(order.OrderId).GetAsync(),
                    o => o?.Status == OrderStatus.Cancelled, $"order {order.OrderId} cancelled when the campaign did not form", within: TimeSpan.FromSeconds(60));
            Assert.Equal(0, (await world.InventoryAsync()).Values.Sum(i => i.Reserved));
            var view = await world.Grains.GetGrain<ICampaignGrain>(campaign).GetAsync();
            Assert.Equal(CampaignStatus.NotFormed, view!.Status);
            // Ops hear of it, and so does every distributor whose reservations were released.
            var alerts = await Eventually.UntilAsync(() => world.Grains.GetGrain<IAlertLogGrain>(0).ListAsync(new AlertQuery()),
                list => list.Count(a => a.Kind == AlertKind.CampaignNotFormed && a.DistributorId is not null) == placed.SelectMany(o => o.Allocations).Select(a => a.DistributorId).Distinct().Count(),
                "an alert per affected distributor");
            Assert.Contains(alerts, a => a.Kind == AlertKind.CampaignNotFormed && a.DistributorId is null && a.CampaignId == campaign);
            await Eventually.UntilAsync(() => CrashRecoveryTests.ConsistencyAsync(world), p => p.Count == 0, "ledger and history to agree");
        }
    }

    [Fact]
    public async Task An_order_left_unpaid_while_the_cluster_is_down_is_cancelled_once_after_the_restart()
    {
        var db = await postgres.CreateDatabaseAsync("payment");
        PgWorld world;
        string campaign;
        List<OrderView> placed = [];
        OrderView paid;
        await using (var cluster = await PostgresCluster.StartAsync(db, "payment", silos: 2))
        {
            world = new PgWorld(cluster, db);
            await world.SetUpAsync(distributors: 2, onHandEach: 50, customers: 4);
            campaign = await world.CampaignAsync(cap: 100, perCustomerLimit: 10, minUnits: 1, endsAt: DateTimeOffset.UtcNow.AddHours(1), paymentWindowSeconds: 3);
            await world.UntilEverySiloRoutesWithCurrentStockAsync();
            foreach (var (customer, i) in world.Customers.Select((c, i) => (c, i)))
                placed.Add((await world.OrderAsync(campaign, customer, 2, $"k-{i}")).Order!);
            Assert.All(placed, o => Assert.Equal(PaymentStatus.Pending, o.Payment!.Status));
            var payment = await world.Grains.GetGrain<IOrderGrain>(placed[0].OrderId).PayAsync("pay-0", 2 * 118m);
            Assert.Equal(PaymentChange.Done, payment.Change);
            paid = payment.Order!;
        } // the whole cluster stops before the deadlines: only the durable reminder can keep them

        // The deadlines pass while nothing runs (they are the silos' wall clock: the reminder must find them after the restart).
        var lastDeadline = placed.Max(o => o.Payment!.DueAt);
        await Eventually.UntilAsync(() => DateTimeOffset.UtcNow, now => now > lastDeadline, $"every payment deadline (the last at {lastDeadline:O}) to pass");
        await using (var cluster = await PostgresCluster.StartAsync(db, "payment", silos: 2))
        {
            world.Cluster = cluster;
            foreach (var order in placed.Skip(1))
            {
                var expired = await Eventually.UntilAsync(() => world.Grains.GetGrain<IOrderGrain>(order.OrderId).GetAsync(),
                    o => o?.Status == OrderStatus.Cancelled, $"unpaid order {order.OrderId} cancelled after the restart", within: TimeSpan.FromSeconds(90));
                Assert.Equal((CancelReasons.PaymentExpired, PaymentStatus.Expired), (expired!.CancelReason, expired.Payment!.Status));
            }
            var kept = await world.Grains.GetGrain<IOrderGrain>(paid.OrderId).GetAsync();
            Assert.Equal((OrderStatus.Allocated, PaymentStatus.Paid), (kept!.Status, kept.Payment!.Status));
            Assert.Equal(2, (await world.InventoryAsync()).Values.Sum(i => i.Reserved));
            // Once: a second sweep finds nothing, and the ledger released each order's units one time.
            Assert.Equal(0, await world.Grains.GetGrain<IPaymentSweepGrain>(campaign).SweepAsync());
            await Eventually.UntilAsync(() => CrashRecoveryTests.ConsistencyAsync(world), p => p.Count == 0, "ledger and history to agree");
        }
    }

    [Fact]
    public async Task Held_orders_and_pre_orders_whose_deadline_passes_while_the_cluster_is_down_are_cancelled_once_after_the_restart()
    {
        var db = await postgres.CreateDatabaseAsync("decisions");
        PgWorld world;
        OrderView held, approved, preOrder, confirmed;
        var rules = new ReviewSettings(MaxUnits: 2, MaxAmount: null, FirstOrderMaxUnits: null, AutoRejectAfterSeconds: 3);
        await using (var cluster = await PostgresCluster.StartAsync(db, "decisions", silos: 2))
        {
            world = new PgWorld(cluster, db);
            await world.SetUpAsync(distributors: 2, onHandEach: 50, customers: 4);
            await world.Grains.GetGrain<IReviewRulesGrain>(0).SetAsync(rules);
            await Eventually.UntilAsync(() => Task.WhenAll(cluster.ReadModels.Select(r => r.GetReviewRulesAsync())), all => all.All(r => r == rules),
                "every silo to place with the review rules");
            var campaign = await world.CampaignAsync(cap: 100, perCustomerLimit: 10, minUnits: 1, endsAt: DateTimeOffset.UtcNow.AddHours(1));
            await world.UntilEverySiloRoutesWithCurrentStockAsync();
            held = (await world.OrderAsync(campaign, world.Customers[0], 3, "k-held")).Order!;
            approved = (await world.OrderAsync(campaign, world.Customers[1], 4, "k-approved")).Order!;
            Assert.Equal((OrderStatus.OnHold, OrderStatus.OnHold), (held.Status, approved.Status));
            Assert.Equal(OrderStatus.Allocated, (await world.Grains.GetGrain<IOrderGrain>(approved.OrderId).ApproveAsync()).Order!.Status);
            PlaceOrder PreOrder(string customer, int quantity, string key) =>
                new(customer, null, [new OrderLine(world.Sku, quantity)], key) { PreOrderHoldSeconds = 3 };
            preOrder = (await world.Grains.GetGrain<ICustomerGrain>(world.Customers[2]).PlaceAsync(PreOrder(world.Customers[2], 5, "k-pre"))).Order!;
            confirmed = (await world.Grains.GetGrain<ICustomerGrain>(world.Customers[3]).PlaceAsync(PreOrder(world.Customers[3], 6, "k-confirmed"))).Order!;
            Assert.Equal((OrderStatus.PreOrder, OrderStatus.PreOrder), (preOrder.Status, confirmed.Status));
            Assert.Equal(OrderStatus.Allocated, (await world.Grains.GetGrain<IOrderGrain>(confirmed.OrderId).ConfirmPreOrderAsync()).Order!.Status);
            Assert.Equal(3 + 4 + 5 + 6, (await world.InventoryAsync()).Values.Sum(i => i.Reserved));
        } // the whole cluster stops before the deadlines: only the durable reminder can keep them

        var lastDeadline = new[] { held.ExpiresAt!.Value, preOrder.ExpiresAt!.Value }.Max();
        await Eventually.UntilAsync(() => DateTimeOffset.UtcNow, now => now > lastDeadline, $"the deadlines (the last at {lastDeadline:O}) to pass");
        await using (var cluster = await PostgresCluster.StartAsync(db, "decisions", silos: 2))
        {
            world.Cluster = cluster;
            foreach (var (order, reason) in new[] { (held, CancelReasons.RejectedInReview), (preOrder, CancelReasons.PreorderExpired) })
            {
                var cancelled = await Eventually.UntilAsync(() => world.Grains.GetGrain<IOrderGrain>(order.OrderId).GetAsync(),
                    o => o?.Status == OrderStatus.Cancelled, $"order {order.OrderId} cancelled after the restart", within: TimeSpan.FromSeconds(90));
                Assert.Equal(reason, cancelled!.CancelReason);
            }
            foreach (var kept in new[] { approved, confirmed })
                Assert.Equal(OrderStatus.Allocated, (await world.Grains.GetGrain<IOrderGrain>(kept.OrderId).GetAsync())!.Status);
            Assert.Equal(4 + 6, (await world.InventoryAsync()).Values.Sum(i => i.Reserved));
            // Once: a second sweep finds nothing, and the ledger released each order's units one time.
            Assert.Equal(0, await world.Grains.GetGrain<IDecisionSweepGrain>(0).SweepAsync());
            await Eventually.UntilAsync(() => CrashRecoveryTests.ConsistencyAsync(world), p => p.Count == 0, "ledger and history to agree");
        }
    }

    [Fact]
    public async Task A_reservation_whose_order_never_saved_expires_and_a_held_one_is_kept()
    {
        var db = await postgres.CreateDatabaseAsync("expiry");
        await using var cluster = await PostgresCluster.StartAsync(db, "expiry", silos: 2);
        var world = new PgWorld(cluster, db);
        await world.SetUpAsync(distributors: 1, onHandEach: 30, customers: 1);
        var campaign = await world.CampaignAsync(cap: 100, perCustomerLimit: 10, minUnits: 1, endsAt: DateTimeOffset.UtcNow.AddHours(1));
        await world.UntilEverySiloRoutesWithCurrentStockAsync();
        var held = (await world.OrderAsync(campaign, world.Customers[0], 4, "k-held")).Order!;
        Assert.Equal(OrderStatus.Allocated, held.Status);

        // What a placement that crashed between reserving and saving leaves behind.
        var distributor = world.Grains.GetGrain<IDistributorGrain>(world.Distributors[0]);
        Assert.True((await distributor.ReserveAsync("o-crashed-placement", [new OrderLine(world.Sku, 5)])).Success);
        // And one placed by a customer's grain (which answers for it): its placement never wrote the order either.
        Assert.True(Assert.Single(await distributor.ReserveManyAsync(
            [new ReservationRequest("o-crashed-customer-placement", [new OrderLine(world.Sku, 2)], world.Customers[0])])).Success);
        Assert.Equal(11, (await world.InventoryAsync())[world.Distributors[0]].Reserved);

        var reservations = await Eventually.UntilAsync(() => distributor.GetReservationsAsync(),
            r => r.All(x => x.Verified), "the orphans to expire and the held reservation to be verified", within: TimeSpan.FromSeconds(30));
        Assert.Equal(held.OrderId, Assert.Single(reservations).OrderId);
        Assert.Equal(4, (await world.InventoryAsync())[world.Distributors[0]].Reserved);
        await Eventually.UntilAsync(() => CrashRecoveryTests.ConsistencyAsync(world), p => p.Count == 0, "ledger and history to agree");
        var ledger = await world.Grains.GetGrain<IDistributorGrain>(world.Distributors[0]).GetInventoryAsync();
        Assert.Equal(30, Assert.Single(ledger).OnHand);
    }
}
