using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Domain.Rules;
using Routing.Grains.History;
using Routing.Grains.Orders;
using Routing.Silo.Postgres;

namespace Routing.Tests.Postgres;

/// <summary>The order journal: an order's truth is one record (its grain state and its history row in one write), and
/// each write of a shared batch keeps its own version check.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OrderJournalTests(PostgresFixture postgres)
{
    [Fact]
    public async Task An_order_is_one_record_holding_its_state_and_its_history_row_changed_by_one_write_each_time()
    {
        var db = await postgres.CreateDatabaseAsync("journal_one");
        await using var cluster = await PostgresCluster.StartAsync(db, "journal", silos: 1);
        var world = new PgWorld(cluster, db);
        await world.SetUpAsync(distributors: 1, onHandEach: 100, customers: 1);
        var campaign = await world.CampaignAsync(cap: 50, perCustomerLimit: 10, minUnits: 1, endsAt: DateTimeOffset.UtcNow.AddHours(1));
        await world.UntilEverySiloRoutesWithCurrentStockAsync();

        var placed = await world.OrderAsync(campaign, world.Customers[0], 3, "k-1");
        Assert.Equal(OrderStatus.Allocated, placed.Order!.Status);
        Assert.Equal((OrderStatus.Allocated, 1), await RecordAsync(db, placed.Order.OrderId));
        Assert.Equal(0, await ScalarAsync(db, "SELECT count(*) FROM routing_grain_state WHERE state_name = 'order'"));

        // A change is one more write of the same record; the order reads back from it after its activation is gone.
        Assert.Equal(TransitionOutcome.Done, (await cluster.Client.GetGrain<IOrderGrain>(placed.Order.OrderId).CancelAsync("changed my mind", byOps: true)).Outcome);
        Assert.Equal((OrderStatus.Cancelled, 2), await RecordAsync(db, placed.Order.OrderId));
        var replay = await world.OrderAsync(campaign, world.Customers[0], 3, "k-1");
        Assert.Equal((PlaceOutcome.Replayed, OrderStatus.Cancelled), (replay.Outcome, replay.Order!.Status));
        Assert.Equal(OrderStatus.Cancelled, (await world.OrderRowsAsync())[placed.Order.OrderId].Status);

        // What the customer's limit is rebuilt from when its grain activates: the cancelled order holds no units.
        await using var journal = new PostgresOrderJournal(NpgsqlDataSource.Create(db), NullLogger<PostgresOrderJournal>.Instance);
        var counted = Assert.Single(await journal.CustomerOrdersAsync(world.Customers[0]));
        Assert.Equal((placed.Order.OrderId, campaign, 3, false), (counted.OrderId, counted.CampaignId, counted.Units, counted.HoldsUnits));
    }

    [Fact]
    public async Task A_stale_write_fails_alone_while_the_writes_sharing_its_batch_commit()
    {
        var db = await postgres.CreateDatabaseAsync("journal_stale");
        await new SchemaMigrator(db, NullLogger.Instance).MigrateAsync();
        await using var journal = new PostgresOrderJournal(NpgsqlDataSource.Create(db), NullLogger<PostgresOrderJournal>.Instance);
        Assert.Equal(1, await journal.WriteAsync(Record("o-stale", OrderStatus.Allocated), expectedVersion: null));
        Assert.Equal(2, await journal.WriteAsync(Record("o-stale", OrderStatus.Confirmed), expectedVersion: 1));

        // A stale activation still at version 1, a second first write of the same order, and 200 new orders, at once.
        var stale = journal.WriteAsync(Record("o-stale", OrderStatus.Cancelled), expectedVersion: 1);
        var again = journal.WriteAsync(Record("o-stale", OrderStatus.Cancelled), expectedVersion: null);
        var fresh = Enumerable.Range(0, 200).Select(i => journal.WriteAsync(Record($"o-{i}", OrderStatus.Allocated), expectedVersion: null)).ToList();

        Assert.Null(await stale);
        Assert.Null(await again);
        Assert.All(await Task.WhenAll(fresh), version => Assert.Equal(1, version));
        var (version, state) = await journal.ReadAsync("o-stale");
        Assert.Equal(2, version);
        Assert.Equal(OrderStatus.Confirmed, GrainStorageTests.Serializer.Deserialize<OrderState>(new BinaryData(state!))!.Order!.Status);
        Assert.Equal((null, null), await journal.ReadAsync("o-none"));
    }

    [Fact]
    public async Task A_write_fenced_by_a_distributor_s_old_epoch_fails_alone_and_one_that_lands_first_is_seen_by_the_new_epoch()
    {
        var db = await postgres.CreateDatabaseAsync("journal_fence");
        await new SchemaMigrator(db, NullLogger.Instance).MigrateAsync();
        await using var journal = new PostgresOrderJournal(NpgsqlDataSource.Create(db), NullLogger<PostgresOrderJournal>.Instance);
        var first = await journal.BeginEpochAsync("d-1");
        Assert.Equal(first + 1, await journal.BeginEpochAsync("d-1"));
        var current = first + 1;
        Assert.Equal(1, await journal.BeginEpochAsync("d-2"));

        // In one batch: a write fenced by d-1's old epoch, one by its current epoch, one by d-2's, and unfenced ones.
        var stale = journal.WriteAsync(Record("o-old", OrderStatus.Allocated) with { Fences = [new("d-2", 1), new("d-1", first)] }, expectedVersion: null);
        var fenced = journal.WriteAsync(Record("o-new", OrderStatus.Allocated) with { Fences = [new("d-1", current)] }, expectedVersion: null);
        var other = journal.WriteAsync(Record("o-other", OrderStatus.Allocated) with { Fences = [new("d-2", 1)] }, expectedVersion: null);
        var plain = Enumerable.Range(0, 50).Select(i => journal.WriteAsync(Record($"o-{i}", OrderStatus.Allocated), expectedVersion: null)).ToList();

        var moved = await Assert.ThrowsAsync<ReservationsMovedException>(() => stale);
        Assert.Equal(["d-1"], moved.Stale);
        Assert.Equal((1, 1), (await fenced, await other));
        Assert.All(await Task.WhenAll(plain), version => Assert.Equal(1, version));
        Assert.Equal((null, null), await journal.ReadAsync("o-old"));

        // Writes racing new epochs: each either lands before the epoch (and the distributor's read then sees it) or fails.
        var landed = 0;
        for (var round = 0; round < 20; round++)
        {
            var epoch = await journal.BeginEpochAsync("d-1");
            var writes = Enumerable.Range(0, 20).Select(i => journal.WriteAsync(
                Record($"o-race-{round}-{i}", OrderStatus.Allocated) with { Fences = [new("d-1", epoch)] }, expectedVersion: null)).ToList();
            // The new epoch a moment later each round: at once, while the batch is on its way, or as it commits.
            await Task.Delay(round % 10);
            await journal.BeginEpochAsync("d-1");
            var seen = (await journal.OrdersHoldingStockAtAsync("d-1")).Select(o => o.OrderId).ToHashSet();
            foreach (var (write, i) in writes.Select((w, i) => (w, i)))
            {
                var id = $"o-race-{round}-{i}";
                try
                {
                    Assert.Equal(1, await write);
                    landed++;
                    Assert.Contains(id, seen); // committed before the new epoch: the rebuild read it
                }
                catch (ReservationsMovedException)
                {
                    Assert.Equal((null, null), await journal.ReadAsync(id));
                }
            }
        }
        Assert.True(landed > 0, "some writes landed before their epoch moved on");

        // The activation's read names the statuses of the partial index that serves it, and only those.
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_routing_orders_holding'", connection);
        var definition = (string)(await command.ExecuteScalarAsync())!;
        var indexed = System.Text.RegularExpressions.Regex.Matches(definition, "'(\\w+)'::text").Select(m => m.Groups[1].Value).Order();
        Assert.Equal(Enum.GetValues<OrderStatus>().Where(OrderRules.HoldsStock).Select(x => x.ToString()).Order(), indexed);
    }

    private static OrderRecord Record(string id, OrderStatus status)
    {
        var now = DateTimeOffset.UtcNow;
        var order = new OrderView(id, "c-1", "gb-1", status, [new OrderLine("UREA-50", 1)], [new Allocation("d-1", "UREA-50", 1)],
            118m, null, [], [], null, now, now);
        return new OrderRecord(order, 1, GrainStorageTests.Serializer.Serialize(new OrderState { Order = order, Revision = 1 }).ToArray());
    }

    private static async Task<(OrderStatus Status, int Version)> RecordAsync(string db, string orderId)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status, version, state IS NOT NULL FROM routing_orders WHERE order_id = @id", connection);
        command.Parameters.AddWithValue("id", orderId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"order {orderId} has no record");
        Assert.True(reader.GetBoolean(2), $"order {orderId}'s record holds no state");
        return (Enum.Parse<OrderStatus>(reader.GetString(0)), reader.GetInt32(1));
    }

    private static async Task<long> ScalarAsync(string db, string sql)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
