using System.Net;
using Npgsql;
using Routing.Tests.Api;

namespace Routing.Tests.Postgres;

/// <summary>The real API host with its embedded silo on PostgreSQL (ADO.NET clustering, storage, reminders, Npgsql
/// history): the history endpoints with their access rules, and write conflicts answered as 409s.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresApiTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Order_history_and_ledger_are_searchable_with_paging_and_scoped_to_the_caller()
    {
        var db = await postgres.CreateDatabaseAsync("api");
        await using var api = new PostgresApi(db);
        await api.InitializeAsync();
        var world = await World.CreateAsync(api, threshold: 5, salesManagers: true);
        var ops = world.Ops;
        var (x, y) = (world.AsCustomer(world.CustomerX), world.AsCustomer(world.CustomerY));
        var (a, b) = (world.DistributorA, world.DistributorB);
        for (var i = 0; i < 3; i++) (await world.OrderAsync(world.CustomerX, 2, $"x-{i}")).Expect(HttpStatusCode.Created);
        var yOrder = (string)(await world.OrderAsync(world.CustomerY, 1, "y-0")).Expect(HttpStatusCode.Created)["orderId"]!;

        // Ops: filters and paging.
        var page = await ops.GetJsonAsync($"/api/orders?campaignId={world.Campaign}&pageSize=2&page=1");
        Assert.Equal(2, page.Expect(HttpStatusCode.OK).AsArray().Count);
        Assert.Equal("4", page.Headers.GetValues("X-Total-Count").Single());
        Assert.Single((await ops.GetJsonAsync($"/api/orders?campaignId={world.Campaign}&pageSize=2&page=2")).Expect(HttpStatusCode.OK).AsArray().Skip(1));
        Assert.Equal(3, (await ops.GetJsonAsync($"/api/orders?customerId={world.CustomerX}&status=Allocated")).Expect(HttpStatusCode.OK).AsArray().Count);
        Assert.Equal(3, (await ops.GetJsonAsync($"/api/orders?distributorId={a}")).Expect(HttpStatusCode.OK).AsArray().Count);
        Assert.Empty((await ops.GetJsonAsync($"/api/orders?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"))}")).Expect(HttpStatusCode.OK).AsArray());
        (await ops.GetJsonAsync("/api/orders?status=Nope")).ExpectProblem(HttpStatusCode.BadRequest);
        (await ops.GetJsonAsync("/api/orders?pageSize=0")).ExpectProblem(HttpStatusCode.BadRequest);

        // A customer sees only its own, whatever it asks for; a distributor only those allocated to it.
        var yList = (await y.GetJsonAsync($"/api/orders?customerId={world.CustomerX}")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Equal(yOrder, (string?)Assert.Single(yList)!["orderId"]);
        var dbList = (await world.AsDistributor(b).GetJsonAsync("/api/orders")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Equal(yOrder, (string?)Assert.Single(dbList)!["orderId"]);
        Assert.Null(dbList[0]!["explanation"]);

        // A sales manager only those placed under it, searched by the row's sales_manager_id, whatever it asks for.
        var sx = world.AsSales(world.SalesManagerX);
        var sxPage = await sx.GetJsonAsync($"/api/orders?customerId={world.CustomerX}&pageSize=2");
        Assert.Equal(2, sxPage.Expect(HttpStatusCode.OK).AsArray().Count);
        Assert.Equal("3", sxPage.Headers.GetValues("X-Total-Count").Single());
        Assert.All((await sx.GetJsonAsync("/api/orders")).Expect(HttpStatusCode.OK).AsArray(), o =>
        {
            Assert.Equal(world.CustomerX, (string?)o!["customerId"]);
            Assert.Null(o["explanation"]);
        });
        Assert.Empty((await sx.GetJsonAsync($"/api/orders?customerId={world.CustomerY}")).Expect(HttpStatusCode.OK).AsArray());
        Assert.Empty((await sx.GetJsonAsync($"/api/orders?distributorId={b}")).Expect(HttpStatusCode.OK).AsArray());
        (await sx.GetJsonAsync($"/api/orders/{yOrder}")).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal(3, (await sx.GetJsonAsync($"/api/customers/{world.CustomerX}/orders")).Expect(HttpStatusCode.OK).AsArray().Count);
        var syList = (await world.AsSales(world.SalesManagerY).GetJsonAsync("/api/orders")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Equal(yOrder, (string?)Assert.Single(syList)!["orderId"]);
        await using (var connection = new NpgsqlConnection(db))
        {
            await connection.OpenAsync();
            await using var managers = new NpgsqlCommand(
                "SELECT sales_manager_id, count(*) FROM routing_orders WHERE campaign_id = @campaign GROUP BY sales_manager_id ORDER BY 1", connection);
            managers.Parameters.AddWithValue("campaign", world.Campaign);
            await using var reader = await managers.ExecuteReaderAsync();
            var rows = new List<(string, long)>();
            while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetInt64(1)));
            Assert.Equal([(world.SalesManagerX, 3L), (world.SalesManagerY, 1L)], rows);
        }

        // The ledger: every movement with before/after quantities and its cause.
        await Eventually.UntilAsync(async () => (await ops.GetJsonAsync($"/api/distributors/{a}/ledger")).Json.AsArray().Count, n => n == 4, "the first distributor's ledger");
        var ledger = (await ops.GetJsonAsync($"/api/distributors/{a}/ledger")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Equal(["Reserve", "Reserve", "Reserve", "Receive"], ledger.Select(m => (string?)m!["kind"]));
        Assert.Equal(100, (int)ledger[^1]!["onHandAfter"]!);
        Assert.Equal(6, (int)ledger[0]!["reservedAfter"]!);
        (await world.AsDistributor(a).GetJsonAsync($"/api/distributors/{a}/ledger")).Expect(HttpStatusCode.OK);
        (await world.AsDistributor(b).GetJsonAsync($"/api/distributors/{a}/ledger")).ExpectProblem(HttpStatusCode.NotFound);
        (await x.GetJsonAsync($"/api/distributors/{a}/ledger")).ExpectProblem(HttpStatusCode.NotFound);

        // Another writer moved the stored state on (as a stale activation would): the write conflict is a 409, and
        // the grain reloads, so the retry succeeds.
        await using (var connection = new NpgsqlConnection(db))
        {
            await connection.OpenAsync();
            await using var bump = new NpgsqlCommand(
                "UPDATE routing_grain_state SET version = version + 1 WHERE grain_id LIKE 'distributor/%' AND state_name = 'distributor'", connection);
            Assert.True(await bump.ExecuteNonQueryAsync() > 0);
        }
        var conflict = (await ops.PutJsonAsync($"/api/distributors/{a}/inventory/{world.Sku}", new { onHand = 120, threshold = 5 })).ExpectProblem(HttpStatusCode.Conflict);
        Assert.Equal("writeConflict", (string?)conflict["code"]);
        await Eventually.UntilAsync(async () => (await ops.PutJsonAsync($"/api/distributors/{a}/inventory/{world.Sku}", new { onHand = 120, threshold = 5 })).Status,
            s => s == HttpStatusCode.OK, "the retry to succeed");
    }

    [Fact]
    public async Task The_stock_statement_adds_up_on_postgres_for_a_random_sequence_of_movements()
    {
        var db = await postgres.CreateDatabaseAsync("summary");
        await using var api = new PostgresApi(db);
        await api.InitializeAsync();
        await LedgerSummaryTests.CheckAsync(api, seed: 3);
    }

    [Fact]
    public async Task Sap_wins_on_postgres_as_of_its_count_keeping_the_sales_since()
    {
        var db = await postgres.CreateDatabaseAsync("reconcile");
        await using var api = new PostgresApi(db);
        await api.InitializeAsync();
        await Erp.ReconciliationTests.SapWinsAsync(api);
    }

    [Fact]
    public async Task A_stock_import_on_postgres_applies_good_rows_and_a_batch_sent_again_counts_once()
    {
        var db = await postgres.CreateDatabaseAsync("import");
        await using var api = new PostgresApi(db);
        await api.InitializeAsync();
        await Erp.ImportTests.StockImportAsync(api);
    }

    [Fact]
    public async Task Analytics_on_postgres_count_a_known_sequence_and_the_same_after_a_restart()
    {
        var db = await postgres.CreateDatabaseAsync("analytics");
        World world;
        await using (var api = new PostgresApi(db))
        {
            await api.InitializeAsync();
            world = await Analytics.OrderAnalyticsTests.SequenceAsync(api);
            await Analytics.OrderAnalyticsTests.CheckAsync(world);
        }
        await using var restarted = new PostgresApi(db);
        await restarted.InitializeAsync();
        await Analytics.OrderAnalyticsTests.CheckAsync(world.On(restarted));
    }
}
