using Routing.Contracts.Distributors;
using Routing.Contracts.Erp;
using Routing.Contracts.Orders;
using Routing.Contracts.Stock;

namespace Routing.Tests.Postgres;

/// <summary>Transfers, returns, stocktakes and SAP snapshots survive stopping the whole cluster: their records, the units they hold or
/// bring, and their idempotency (a step repeated after the restart moves nothing twice). A transfer hold whose request
/// never recorded the transfer is given back by the source's check.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StockOperationsRestartTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Transfers_returns_and_stocktakes_carry_on_after_a_whole_cluster_restart()
    {
        var db = await postgres.CreateDatabaseAsync("stockops");
        PgWorld world;
        string source, destination, orderId, returnId;
        const string held = "t-held", moving = "t-moving", stocktake = "s-restart";
        StocktakeView counted;
        var snapshotAt = DateTimeOffset.UtcNow;
        SnapshotRow[] snapshotRows = [];
        await using (var cluster = await PostgresCluster.StartAsync(db, "stockops", silos: 2))
        {
            world = new PgWorld(cluster, db);
            await world.SetUpAsync(distributors: 2, onHandEach: 40, customers: 1);
            (source, destination) = (world.Distributors[0], world.Distributors[1]);
            snapshotAt = DateTimeOffset.UtcNow;
            snapshotRows = [new SnapshotRow(source, world.Sku, 41)];
            var campaign = await world.CampaignAsync(cap: 100, perCustomerLimit: 10, minUnits: 1, endsAt: DateTimeOffset.UtcNow.AddHours(1));
            await world.UntilEverySiloRoutesWithCurrentStockAsync();

            Assert.Equal(TransferOutcome.Done, (await world.Grains.GetGrain<ITransferGrain>(held).RequestAsync(source, destination, world.Sku, 5, "ops")).Outcome);
            Assert.Equal(TransferOutcome.Done, (await world.Grains.GetGrain<ITransferGrain>(moving).RequestAsync(source, destination, world.Sku, 4, "ops")).Outcome);
            Assert.Equal(TransferOutcome.Done, (await world.Grains.GetGrain<ITransferGrain>(moving).DispatchAsync()).Outcome);

            var placed = await world.OrderAsync(campaign, world.Customers[0], 6);
            orderId = placed.Order!.OrderId;
            var order = world.Grains.GetGrain<IOrderGrain>(orderId);
            Assert.Equal(TransitionOutcome.Done, (await order.ConfirmAsync()).Outcome);
            Assert.Equal(TransitionOutcome.Done, (await order.ShipAsync()).Outcome);
            var shippedBy = placed.Order.Allocations.Single().DistributorId;
            returnId = "r-restart";
            var asked = await world.Grains.GetGrain<IOrderReturnsGrain>(orderId).RequestAsync(returnId, [new ReturnLine(world.Sku, 3)], "torn bags", false, null);
            Assert.Equal((ReturnOutcome.Done, shippedBy), (asked.Outcome, asked.Return!.DistributorId));

            counted = (await world.Distributor(destination).StocktakeAsync(stocktake, DateTimeOffset.UtcNow, [new CountedLine(world.Sku, 38)], "fp"))!.Stocktake;
            Assert.True(counted.Lines.Single().Applied);

            // SAP counted 41 at the source as of a moment when Routing had 40 there.
            Assert.NotNull(await world.Grains.GetGrain<IStockSnapshotGrain>("sap-restart").StartAsync(snapshotAt, 0, snapshotRows, "sap-fp"));
            await Eventually.UntilAsync(() => world.Grains.GetGrain<IStockSnapshotGrain>("sap-restart").GetAsync(),
                v => v!.Status == SnapshotStatus.Completed, "the snapshot to be reconciled");
        }

        await using (var cluster = await PostgresCluster.StartAsync(db, "stockops", silos: 2))
        {
            world.Cluster = cluster;
            var before = await world.StockAsync(source);
            // The held transfer still holds its units (reserved), the moving one is still incoming at the destination.
            Assert.Equal(TransferStatus.Requested, (await world.Grains.GetGrain<ITransferGrain>(held).GetAsync())!.Status);
            Assert.Equal(5 + (await ReservedForOrdersAsync(world, source)), before.Reserved);
            Assert.Equal(4, (await world.StockAsync(destination)).Incoming);

            Assert.Equal(TransferStatus.Cancelled, (await world.Grains.GetGrain<ITransferGrain>(held).CancelAsync()).Transfer!.Status);
            Assert.Equal(before.Reserved - 5, (await world.StockAsync(source)).Reserved);

            var onHandBefore = (await world.StockAsync(destination)).OnHand;
            Assert.Equal(TransferStatus.Discrepancy, (await world.Grains.GetGrain<ITransferGrain>(moving).ReceiveAsync(3)).Transfer!.Status);
            // Received again (as a retry after a lost answer would): counted once.
            Assert.Equal(TransferOutcome.Done, (await world.Grains.GetGrain<ITransferGrain>(moving).ReceiveAsync(3)).Outcome);
            await world.Distributor(destination).ReceiveTransferAsync(moving, 3);
            Assert.Equal((onHandBefore + 3, 0), ((await world.StockAsync(destination)).OnHand, (await world.StockAsync(destination)).Incoming));

            var returns = world.Grains.GetGrain<IOrderReturnsGrain>(orderId);
            var shippedBy = (await returns.ListAsync()).Single().DistributorId;
            var onHandAtShipper = (await world.StockAsync(shippedBy)).OnHand;
            Assert.Equal(ReturnOutcome.Done, (await returns.ReceiveAsync(returnId, [new ReceivedLine(world.Sku, 2, 1)])).Outcome);
            Assert.Equal(ReturnOutcome.Done, (await returns.ReceiveAsync(returnId, [new ReceivedLine(world.Sku, 2, 1)])).Outcome);
            await world.Distributor(shippedBy).ReceiveReturnAsync(returnId, [new ReceivedLine(world.Sku, 2, 1)]);
            Assert.Equal(onHandAtShipper + 2, (await world.StockAsync(shippedBy)).OnHand);
            // Asking for more than is left to return is refused after the restart too: 6 shipped, 3 asked already.
            Assert.Equal(ReturnOutcome.ExceedsShipped, (await returns.RequestAsync("r-more", [new ReturnLine(world.Sku, 4)], "more", false, null)).Outcome);

            // SAP sends its snapshot again after the restart: the same snapshot, posted once.
            var sourceOnHand = (await world.StockAsync(source)).OnHand;
            var resent = await world.Grains.GetGrain<IStockSnapshotGrain>("sap-restart").StartAsync(snapshotAt, 0, snapshotRows, "sap-fp");
            Assert.Equal((SnapshotStatus.Completed, 1), (resent!.Status, resent.Differences.Single().Applied));
            Assert.Null(await world.Grains.GetGrain<IStockSnapshotGrain>("sap-restart").StartAsync(snapshotAt, 0, snapshotRows, "other rows"));
            Assert.Equal(sourceOnHand, (await world.StockAsync(source)).OnHand);

            var again = (await world.Distributor(destination).StocktakeAsync(stocktake, DateTimeOffset.UtcNow, [new CountedLine(world.Sku, 38)], "fp"))!;
            Assert.True(again.Replayed);
            Assert.Equal(counted.Lines, again.Stocktake.Lines);

            foreach (var d in new[] { source, destination })
            {
                var stock = await world.StockAsync(d);
                var sums = await Eventually.UntilAsync(async () => (await world.LedgerAsync())[d], s => s.LastOnHand == stock.OnHand && s.LastReserved == stock.Reserved,
                    $"{d}'s ledger to catch up with its stock");
                Assert.Equal((stock.OnHand, stock.Reserved, true, 0L), (sums.OnHand, sums.Reserved, sums.NeverOversold, sums.ChainBreaks));
            }
        }
    }

    [Fact]
    public async Task A_transfer_hold_whose_transfer_was_never_recorded_is_given_back()
    {
        var db = await postgres.CreateDatabaseAsync("orphanhold");
        await using var cluster = await PostgresCluster.StartAsync(db, "orphanhold", silos: 1);
        var world = new PgWorld(cluster, db);
        await world.SetUpAsync(distributors: 2, onHandEach: 10, customers: 0);
        var source = world.Distributors[0];
        // A request that held at the source and died before writing its record; and one that did write it.
        Assert.Equal(StockOperationOutcome.Done, await world.Distributor(source).HoldForTransferAsync("t-never-recorded", world.Sku, 6));
        Assert.Equal(TransferOutcome.Done, (await world.Grains.GetGrain<ITransferGrain>("t-recorded").RequestAsync(source, world.Distributors[1], world.Sku, 3, "ops")).Outcome);
        Assert.Equal(9, (await world.StockAsync(source)).Reserved);

        await Eventually.UntilAsync(() => world.StockAsync(source), s => s.Reserved == 3, "the unrecorded hold to be given back", TimeSpan.FromSeconds(30));
        // The recorded one was confirmed and stays, well past the check's age.
        await Task.Delay(PostgresCluster.UnverifiedAfter * 2);
        Assert.Equal(3, (await world.StockAsync(source)).Reserved);
    }

    private static async Task<int> ReservedForOrdersAsync(PgWorld world, string distributorId) =>
        (await world.Distributor(distributorId).GetReservationsAsync()).Sum(r => r.Lines.Sum(l => l.Quantity));
}
