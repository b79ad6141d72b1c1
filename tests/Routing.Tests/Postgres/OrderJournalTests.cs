using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Routing.Contracts.Orders;
using Routing.Domain;
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
        var world = new PgWorld(cluster.Client, db);
        await world.SetUpAsync(distributors: 1, onHandEach: 100, customers: 1);
        var campaign = await world.CampaignAsync("gb-journal", cap: 50, perCustomerLimit: 10, minUnits: 1, DateTimeOffset.UtcNow.AddHours(1));
        await world.UntilRoutableAsync();

        var placed = await world.PlaceAsync(campaign, world.Customers[0], 3, "k-1");
        Assert.Equal(OrderStatus.Allocated, placed.Order!.Status);
        Assert.Equal((OrderStatus.Allocated, 1), await RecordAsync(db, placed.Order.OrderId));
        Assert.Equal(0, await ScalarAsync(db, "SELECT count(*) FROM routing_grain_state WHERE state_name = 'order'"));

        // A change is one more write of the same record; the order reads back from it after its activation is gone.
        Assert.Equal(TransitionOutcome.Done, (await cluster.Client.GetGrain<IOrderGrain>(placed.Order.OrderId).CancelAsync("changed my mind", byOps: true)).Outcome);
        Assert.Equal((OrderStatus.Cancelled, 2), await RecordAsync(db, placed.Order.OrderId));
        var replay = await world.PlaceAsync(campaign, world.Customers[0], 3, "k-1");
        Assert.Equal((PlaceOutcome.Replayed, OrderStatus.Cancelled), (replay.Outcome, replay.Order!.Status));
        Assert.Equal(OrderStatus.Cancelled, (await world.OrderRowsAsync())[placed.Order.OrderId].Status);

        // What the customer's limit is rebuilt from when its grain activates: the cancelled order holds no units.
        await using var journal = new PostgresOrderJournal(NpgsqlDataSource.Create(db), NullLogger<PostgresOrderJournal>.Instance);
        var counted = Assert.Single(await journal.CustomerOrdersAsync(world.Customers[0]));
        Assert.Equal((placed.Order.OrderId, "gb-journal", 3, false), (counted.OrderId, counted.CampaignId, counted.Units, counted.HoldsUnits));
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
