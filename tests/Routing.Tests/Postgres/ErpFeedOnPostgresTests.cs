using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Domain.Rules;
using Routing.Grains.History;
using Routing.Silo.Postgres;

namespace Routing.Tests.Postgres;

/// <summary>The ERP feed on PostgreSQL: written by the journal's and the ledger's own statements, read in (txid, n)
/// order below the snapshot's xmin, so a reader following it while many writers commit in any order, and across a
/// whole-cluster restart, sees every event once: none skipped, none repeated, and the same bytes when read again.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ErpFeedOnPostgresTests(PostgresFixture postgres)
{
    private const int Customers = 30;

    [Fact]
    public async Task Every_order_and_stock_change_appears_once_in_order_on_postgres()
    {
        var db = await postgres.CreateDatabaseAsync("feedapi");
        await using var api = new PostgresApi(db);
        await api.InitializeAsync();
        await Erp.FeedTests.EveryChangeAsync(api);
    }

    [Fact]
    public async Task Concurrent_changes_across_a_whole_cluster_restart_are_fed_once_each_with_no_gap_and_read_again_byte_for_byte()
    {
        var db = await postgres.CreateDatabaseAsync("feed");
        await using var dataSource = NpgsqlDataSource.Create(db);
        var feed = new PostgresErpFeed(dataSource);
        var expected = new Dictionary<string, List<ErpEventType>>(StringComparer.Ordinal);
        void Expect(string orderId, ErpEventType type)
        {
            lock (expected)
            {
                if (!expected.TryGetValue(orderId, out var types)) expected[orderId] = types = [];
                types.Add(type);
            }
        }
        PgWorld world;
        string campaign;
        List<(string OrderId, decimal Amount, int Flow)> placed;
        Follower follower;
        List<string> beforeRestart;

        await using (var cluster = await PostgresCluster.StartAsync(db, "feed", silos: 2))
        {
            world = new PgWorld(cluster, db);
            follower = Follower.Start(feed); // from the first event, while everything below happens
            await world.SetUpAsync(distributors: 3, onHandEach: 300, customers: Customers);
            campaign = await world.CampaignAsync(cap: 1000, perCustomerLimit: 100, paymentWindowSeconds: 3600);
            await world.UntilEverySiloRoutesWithCurrentStockAsync();

            // Dozens of orders placed and changed at once through both silos, stock received meanwhile.
            var flows = world.Customers.Select(async (customer, i) =>
            {
                var order = (await world.OrderAsync(campaign, customer, 1 + i % 3, $"k-{i}")).Order!;
                Assert.Equal(OrderStatus.Allocated, order.Status);
                Expect(order.OrderId, ErpEventType.OrderAllocated);
                var grain = world.Grains.GetGrain<IOrderGrain>(order.OrderId);
                switch (i % 5)
                {
                    case 0:
                        await PayAsync(grain, order, i);
                        Expect(order.OrderId, ErpEventType.OrderPaid);
                        await StepAsync(grain.ConfirmAsync());
                        Expect(order.OrderId, ErpEventType.OrderConfirmed);
                        await StepAsync(grain.ShipAsync());
                        Expect(order.OrderId, ErpEventType.OrderShipped);
                        break;
                    case 1:
                        await PayAsync(grain, order, i);
                        Expect(order.OrderId, ErpEventType.OrderPaid);
                        await StepAsync(grain.CancelAsync("the customer called", byOps: true));
                        Expect(order.OrderId, ErpEventType.OrderCancelled);
                        Expect(order.OrderId, ErpEventType.RefundDue);
                        break;
                    case 2:
                        await StepAsync(grain.CancelAsync("changed my mind", byOps: false));
                        Expect(order.OrderId, ErpEventType.OrderCancelled);
                        break;
                    case 3:
                        await StepAsync(grain.ConfirmAsync());
                        Expect(order.OrderId, ErpEventType.OrderConfirmed);
                        await StepAsync(grain.ConfirmAsync()); // again: no change, no event
                        break;
                    default:
                        break;
                }
                return (order.OrderId, order.Payment!.Amount, i % 5);
            });
            var restocks = world.Distributors.Select(d => world.Distributor(d).SetStockAsync(world.Sku, 400, 0));
            await Task.WhenAll(restocks);
            placed = [.. await Task.WhenAll(flows)];
        }

        // The cluster is down: the reader has everything written before it stopped once it has caught up.
        var lastBefore = await follower.UntilCaughtUpAsync();
        beforeRestart = [.. follower.Events.Take(lastBefore).Select(Bytes)];
        Assert.NotEmpty(beforeRestart);

        await using (var cluster = await PostgresCluster.StartAsync(db, "feed", silos: 2))
        {
            world.Cluster = cluster;
            // The same orders change further after the restart, and new ones are placed, all at once.
            var changes = placed.Select(async p =>
            {
                var grain = world.Grains.GetGrain<IOrderGrain>(p.OrderId);
                switch (p.Flow)
                {
                    case 3:
                        await StepAsync(grain.ShipAsync());
                        Expect(p.OrderId, ErpEventType.OrderShipped);
                        break;
                    case 4:
                        Assert.Equal(PaymentChange.Done, (await grain.PayAsync($"pay-{p.OrderId}", p.Amount)).Change);
                        Expect(p.OrderId, ErpEventType.OrderPaid);
                        break;
                    default:
                        break;
                }
            });
            var more = world.Customers.Take(10).Select(async (customer, i) =>
            {
                var order = (await world.OrderAsync(campaign, customer, 2, $"k2-{i}")).Order!;
                Assert.Equal(OrderStatus.Allocated, order.Status);
                Expect(order.OrderId, ErpEventType.OrderAllocated);
            });
            var restocks = world.Distributors.Select(d => world.Distributor(d).SetStockAsync(world.Sku, 500, 0));
            await Task.WhenAll(changes.Concat(more).Concat(restocks));

            // Every movement of the ledger is appended (each distributor's outbox empties behind its writes).
            var fedKinds = new[] { "receive", "adjust", "erpAdjust", "writeOff", "return", "transferOut", "transferIn" };
            var ledger = await Eventually.UntilAsync(() => LedgerRowsAsync(db, fedKinds),
                rows => world.Distributors.All(d => rows.Count(r => r.DistributorId == d) == 3), "three receipts at each distributor in the ledger");
            var orderEvents = expected.Values.Sum(t => t.Count);
            var all = await Eventually.UntilAsync(() => ReadAllAsync(feed, ErpCursor.Start), events => events.Count >= orderEvents + ledger.Count,
                $"{orderEvents} order events and {ledger.Count} stock events in the feed", within: TimeSpan.FromSeconds(60));
            await follower.UntilCaughtUpAsync();
            await follower.StopAsync();

            // No gap, no repeat: the reader that followed the feed live read exactly what the feed holds, byte for byte.
            Assert.Equal(all.Select(Bytes), follower.Events.Select(Bytes));
            for (var i = 1; i < all.Count; i++)
            {
                Assert.True(ErpCursor.TryParse(all[i - 1].Cursor, out var previous) && ErpCursor.TryParse(all[i].Cursor, out var next) && previous.IsBefore(next),
                    $"cursor {all[i - 1].Cursor} is followed by {all[i].Cursor}");
            }
            // What was read before the restart reads the same after it.
            Assert.Equal(beforeRestart, (await ReadAllAsync(feed, ErpCursor.Start)).Take(beforeRestart.Count).Select(Bytes));

            // Each order's events, once each and in the order its changes were made; each fed ledger row once.
            var byOrder = all.Where(e => e.Order is not null).GroupBy(e => e.Order!.OrderId)
                .ToDictionary(g => g.Key, g => g.Select(e => e.Type).ToList(), StringComparer.Ordinal);
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), byOrder.Keys.Order(StringComparer.Ordinal));
            foreach (var (orderId, types) in expected) Assert.True(types.SequenceEqual(byOrder[orderId]), $"{orderId}: expected {string.Join(", ", types)}, fed {string.Join(", ", byOrder[orderId])}");
            Assert.Equal(ledger.Order(), all.Where(e => e.Stock is not null).Select(e => (e.Stock!.DistributorId, e.Stock.Seq)).Order());
            var refund = all.Single(e => e.Type == ErpEventType.RefundDue && e.Order!.OrderId == placed.First(p => p.Flow == 1).OrderId);
            Assert.Equal((OrderStatus.Cancelled, PaymentStatus.RefundDue), (refund.Order!.Status, refund.Order.Payment!.Status));

            // Writes retried emit nothing twice: the ledger's rows appended again, an order's record written again at a
            // version already written (the check refuses it) and written again unchanged (a status repeated).
            var fedBefore = all.Count;
            var history = new PostgresRoutingHistory(dataSource, NullLogger<PostgresRoutingHistory>.Instance);
            await using (history)
            {
                var rows = await history.LedgerAsync(world.Distributors[0], 1, 500);
                Assert.True(await history.AppendLedgerAsync(rows.Items));
            }
            var journal = new PostgresOrderJournal(dataSource, NullLogger<PostgresOrderJournal>.Instance);
            await using (journal)
            {
                var (record, version) = await RecordAsync(db, placed[0].OrderId);
                Assert.Null(await journal.WriteAsync(record, version - 1));
                Assert.Equal(version + 1, await journal.WriteAsync(record, version));
            }
            Assert.Equal(fedBefore, (await ReadAllAsync(feed, ErpCursor.Start)).Count);
        }
    }

    private static async Task PayAsync(IOrderGrain grain, OrderView order, int i) =>
        Assert.Equal(PaymentChange.Done, (await grain.PayAsync($"pay-{i}", order.Payment!.Amount)).Change);

    private static async Task StepAsync(Task<TransitionResult> step)
    {
        var result = await step;
        Assert.True(result.Outcome == TransitionOutcome.Done, $"{result.Outcome}: {result.Detail}");
    }

    /// <summary>An event as the API would answer it, as text: what "the same bytes" compares.</summary>
    private static string Bytes(ErpEvent e) => JsonSerializer.Serialize(e, PostgresRoutingHistory.Json);

    private static async Task<List<ErpEvent>> ReadAllAsync(PostgresErpFeed feed, ErpCursor after)
    {
        var events = new List<ErpEvent>();
        while (true)
        {
            var page = await feed.ReadAsync(after, 1000);
            if (page.Count == 0) return events;
            events.AddRange(page);
            Assert.True(ErpCursor.TryParse(page[^1].Cursor, out after));
        }
    }

    /// <summary>The ledger's rows of the kinds the feed reports: (distributor, seq).</summary>
    private static async Task<List<(string DistributorId, long Seq)>> LedgerRowsAsync(string db, string[] kinds)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT distributor_id, seq FROM routing_inventory_ledger WHERE kind = ANY(@kinds)", connection);
        command.Parameters.AddWithValue("kinds", kinds);
        var rows = new List<(string, long)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetInt64(1)));
        return rows;
    }

    /// <summary>An order's record as the journal holds it, and its version.</summary>
    private static async Task<(OrderRecord Record, int Version)> RecordAsync(string db, string orderId)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT body::text, revision, state, version FROM routing_orders WHERE order_id = @id", connection);
        command.Parameters.AddWithValue("id", orderId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var listed = JsonSerializer.Deserialize<OrderView>(reader.GetString(0), PostgresRoutingHistory.Json)!;
        return (new OrderRecord(listed, reader.GetInt32(1), reader.GetFieldValue<byte[]>(2)), reader.GetInt32(3));
    }

    /// <summary>A reader that follows the feed with its cursor, as SAP polls it, page by small page, until stopped.</summary>
    private sealed class Follower(IErpFeed feed)
    {
        private readonly List<ErpEvent> _events = [];
        private ErpCursor _cursor = ErpCursor.Start;
        /// <summary>Reads started so far, and the number of the last one that found nothing after the cursor.</summary>
        private long _started;
        private long _lastEmpty;
        private volatile bool _stopping;
        private Task _loop = Task.CompletedTask;

        public static Follower Start(IErpFeed feed)
        {
            var follower = new Follower(feed);
            follower._loop = Task.Run(follower.RunAsync);
            return follower;
        }

        public IReadOnlyList<ErpEvent> Events
        {
            get
            {
                lock (_events) return [.. _events];
            }
        }

        /// <summary>Waits until a read started after this call found nothing more: the reader has everything committed
        /// before the call. Answers how many events it had then.</summary>
        public async Task<int> UntilCaughtUpAsync()
        {
            var after = Interlocked.Read(ref _started);
            return await Eventually.UntilAsync(() =>
            {
                lock (_events) return Interlocked.Read(ref _lastEmpty) > after ? _events.Count : -1;
            }, count => count >= 0, "the feed's reader to catch up", within: TimeSpan.FromSeconds(60));
        }

        public async Task StopAsync()
        {
            _stopping = true;
            await _loop;
        }

        private async Task RunAsync()
        {
            while (!_stopping)
            {
                // Small pages, so page ends fall everywhere among the writers' transactions; an empty page waits for more.
                var page = await Eventually.UntilAsync(ReadAsync, p => p.Count > 0 || _stopping, "more events in the feed", within: TimeSpan.FromMinutes(5));
                lock (_events) _events.AddRange(page);
                if (page.Count > 0) Assert.True(ErpCursor.TryParse(page[^1].Cursor, out _cursor));
            }
        }

        private async Task<IReadOnlyList<ErpEvent>> ReadAsync()
        {
            var read = Interlocked.Increment(ref _started);
            var page = await feed.ReadAsync(_cursor, 7);
            if (page.Count == 0) Interlocked.Exchange(ref _lastEmpty, read);
            return page;
        }
    }
}
