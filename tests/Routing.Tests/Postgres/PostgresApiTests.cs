using System.Net;
using Npgsql;
using Routing.Api.Auth;
using Routing.Tests.Api;

namespace Routing.Tests.Postgres;

/// <summary>The real API host with its embedded silo on PostgreSQL (ADO.NET clustering, storage, reminders, Npgsql
/// history): the history endpoints with their access rules, and write conflicts answered as 409s.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresApiTests(PostgresFixture postgres)
{
    private static readonly string[] Regions = ["4201"];

    [Fact]
    public async Task Order_history_and_ledger_are_searchable_with_paging_and_scoped_to_the_caller()
    {
        var db = await postgres.CreateDatabaseAsync("api");
        await using var api = new PostgresApi(db);
        var ops = api.As(Roles.Ops);
        await Http.EventuallyAsync(async () => (await ops.GetAsync("/health")).StatusCode, s => s == HttpStatusCode.OK, "health", seconds: 60);

        (await ops.PostJsonAsync("/api/products", new { sku = "UREA-50", name = "Urea", unit = "bag", substitutes = Array.Empty<string>() })).Expect(HttpStatusCode.Created);
        foreach (var d in new[] { "d-a", "d-b" })
        {
            (await ops.PostJsonAsync("/api/distributors", new { id = d, name = d, regions = Regions, location = new { lat = 30.55, lon = 114.30 }, priority = 1, dailyCapacity = 5000 }))
                .Expect(HttpStatusCode.Created);
            (await ops.PutJsonAsync($"/api/distributors/{d}/inventory/UREA-50", new { onHand = 100, threshold = 5 })).Expect(HttpStatusCode.OK);
        }
        foreach (var (c, home) in new[] { ("c-x", "d-a"), ("c-y", "d-b") })
            (await ops.PostJsonAsync("/api/customers", new { id = c, name = c, region = "420106", location = new { lat = 30.55, lon = 114.30 }, homeDistributorId = home }))
                .Expect(HttpStatusCode.Created);
        var now = DateTimeOffset.UtcNow;
        (await ops.PostJsonAsync("/api/campaigns", new { id = "gb-api", sku = "UREA-50", price = 118.0, startsAt = now.AddHours(-1), endsAt = now.AddHours(1), cap = 1000, perCustomerLimit = 50, minUnits = 1 }))
            .Expect(HttpStatusCode.Created);

        var x = api.As(Roles.Customer, customerId: "c-x");
        var y = api.As(Roles.Customer, customerId: "c-y");
        for (var i = 0; i < 3; i++) (await x.PostJsonAsync("/api/campaigns/gb-api/orders", new { quantity = 2 }, $"x-{i}")).Expect(HttpStatusCode.Created);
        var yOrder = (string)(await y.PostJsonAsync("/api/campaigns/gb-api/orders", new { quantity = 1 }, "y-0")).Expect(HttpStatusCode.Created)["orderId"]!;

        // Ops: filters and paging.
        var page = await ops.GetJsonAsync("/api/orders?campaignId=gb-api&pageSize=2&page=1");
        Assert.Equal(2, page.Expect(HttpStatusCode.OK).AsArray().Count);
        Assert.Equal("4", page.Headers.GetValues("X-Total-Count").Single());
        Assert.Single((await ops.GetJsonAsync("/api/orders?campaignId=gb-api&pageSize=2&page=2")).Expect(HttpStatusCode.OK).AsArray().Skip(1));
        Assert.Equal(3, (await ops.GetJsonAsync("/api/orders?customerId=c-x&status=Allocated")).Expect(HttpStatusCode.OK).AsArray().Count);
        Assert.Equal(3, (await ops.GetJsonAsync("/api/orders?distributorId=d-a")).Expect(HttpStatusCode.OK).AsArray().Count);
        Assert.Empty((await ops.GetJsonAsync($"/api/orders?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"))}")).Expect(HttpStatusCode.OK).AsArray());
        (await ops.GetJsonAsync("/api/orders?status=Nope")).ExpectProblem(HttpStatusCode.BadRequest);
        (await ops.GetJsonAsync("/api/orders?pageSize=0")).ExpectProblem(HttpStatusCode.BadRequest);

        // A customer sees only its own, whatever it asks for; a distributor only those allocated to it.
        var yList = (await y.GetJsonAsync("/api/orders?customerId=c-x")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Equal(yOrder, (string?)Assert.Single(yList)!["orderId"]);
        var dbList = (await api.As(Roles.Distributor, distributorId: "d-b").GetJsonAsync("/api/orders")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Equal(yOrder, (string?)Assert.Single(dbList)!["orderId"]);
        Assert.Null(dbList[0]!["explanation"]);

        // The ledger: every movement with before/after quantities and its cause.
        await Http.EventuallyAsync(async () => (await ops.GetJsonAsync("/api/distributors/d-a/ledger")).Json.AsArray().Count, n => n == 4, "d-a's ledger");
        var ledger = (await ops.GetJsonAsync("/api/distributors/d-a/ledger")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Equal(["Reserve", "Reserve", "Reserve", "Receive"], ledger.Select(m => (string?)m!["kind"]));
        Assert.Equal(100, (int)ledger[^1]!["onHandAfter"]!);
        Assert.Equal(6, (int)ledger[0]!["reservedAfter"]!);
        (await api.As(Roles.Distributor, distributorId: "d-a").GetJsonAsync("/api/distributors/d-a/ledger")).Expect(HttpStatusCode.OK);
        (await api.As(Roles.Distributor, distributorId: "d-b").GetJsonAsync("/api/distributors/d-a/ledger")).ExpectProblem(HttpStatusCode.NotFound);
        (await x.GetJsonAsync("/api/distributors/d-a/ledger")).ExpectProblem(HttpStatusCode.NotFound);

        // Another writer moved the stored state on (as a stale activation would): the write conflict is a 409, and
        // the grain reloads, so the retry succeeds.
        await using (var connection = new NpgsqlConnection(db))
        {
            await connection.OpenAsync();
            await using var bump = new NpgsqlCommand(
                "UPDATE routing_grain_state SET version = version + 1 WHERE grain_id LIKE 'distributor/%' AND state_name = 'distributor'", connection);
            Assert.True(await bump.ExecuteNonQueryAsync() > 0);
        }
        var conflict = (await ops.PutJsonAsync("/api/distributors/d-a/inventory/UREA-50", new { onHand = 120, threshold = 5 })).ExpectProblem(HttpStatusCode.Conflict);
        Assert.Equal("writeConflict", (string?)conflict["code"]);
        await Http.EventuallyAsync(async () => (await ops.PutJsonAsync("/api/distributors/d-a/inventory/UREA-50", new { onHand = 120, threshold = 5 })).Status,
            s => s == HttpStatusCode.OK, "the retry to succeed");
    }
}
