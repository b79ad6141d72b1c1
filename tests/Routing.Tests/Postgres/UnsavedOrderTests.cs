using Npgsql;
using Routing.Contracts.Orders;
using Routing.Domain;

namespace Routing.Tests.Postgres;

/// <summary>An order whose journal record cannot be written was never acknowledged: it must leave nothing behind, neither
/// what it held (stock, campaign units, the customer's limit) nor a history row (the record is its history row).</summary>
[Collection(PostgresCollection.Name)]
public sealed class UnsavedOrderTests(PostgresFixture postgres)
{
    [Fact]
    public async Task An_order_whose_state_write_fails_is_not_acknowledged_and_leaves_no_trace()
    {
        var db = await postgres.CreateDatabaseAsync("unsaved");
        await using var cluster = await PostgresCluster.StartAsync(db, "unsaved", silos: 1);
        var world = new PgWorld(cluster.Client, db);
        await world.SetUpAsync(distributors: 2, onHandEach: 100, customers: 2);
        var campaign = await world.CampaignAsync("gb-unsaved", cap: 50, perCustomerLimit: 10, minUnits: 1, DateTimeOffset.UtcNow.AddHours(1));
        await world.UntilRoutableAsync();
        var customer = world.Customers[0];

        // The database refuses every new order's journal record.
        await SqlAsync(db, """
            CREATE FUNCTION refuse_orders() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
            CREATE TRIGGER refuse_orders BEFORE INSERT ON routing_orders FOR EACH ROW EXECUTE FUNCTION refuse_orders();
            """);
        await Assert.ThrowsAnyAsync<Exception>(() => world.PlaceAsync(campaign, customer, 10, "k-1"));

        // Nothing held: no reservation, no history row, the customer's whole limit still free.
        Assert.All((await world.InventoryAsync()).Values, item => Assert.Equal(0, item.Reserved));
        Assert.Empty(await world.OrderRowsAsync());

        await SqlAsync(db, "DROP TRIGGER refuse_orders ON routing_orders");
        var other = await world.PlaceAsync(campaign, customer, 10, "k-2");
        Assert.Equal((PlaceOutcome.Created, OrderStatus.Allocated), (other.Outcome, other.Order!.Status));

        // The failed request retried with its key now succeeds on its own (the customer is at the limit, so it is refused
        // for the limit, which proves the first attempt's units were given back rather than kept).
        var retry = await world.PlaceAsync(campaign, customer, 10, "k-1");
        Assert.Equal(PlaceOutcome.LimitExceeded, retry.Outcome);
        var rows = await world.OrderRowsAsync();
        Assert.Equal([other.Order.OrderId], rows.Keys);
        Assert.Equal(10, (await world.InventoryAsync()).Values.Sum(i => i.Reserved));
    }

    private static async Task SqlAsync(string db, string sql)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
