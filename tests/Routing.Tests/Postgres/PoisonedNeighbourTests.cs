using System.Net;
using Routing.Api.Auth;
using Routing.Tests.Api;

namespace Routing.Tests.Postgres;

/// <summary>Issue 9, item 1: one customer sending free text PostgreSQL cannot store (a NUL) must not fail the orders of
/// the customers whose rows share its batches. The door refuses the text; every neighbour's order is placed.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PoisonedNeighbourTests(PostgresFixture postgres)
{
    private const int Neighbours = 60;
    private const int OrdersEach = 5;
    /// <summary>Within one customer's burst allowance (30), so each is refused for what it carries, not for its rate.</summary>
    private const int Poisoned = 25;
    private static readonly string[] Regions = ["4201"];

    [Fact]
    public async Task A_customer_sending_NULs_fails_only_its_own_requests_while_its_neighbours_orders_all_land()
    {
        var db = await postgres.CreateDatabaseAsync("poison");
        await using var api = new PostgresApi(db);
        var ops = api.As(Roles.Ops);
        await Http.EventuallyAsync(async () => (await ops.GetAsync("/health")).StatusCode, s => s == HttpStatusCode.OK, "health", seconds: 60);
        (await ops.PostJsonAsync("/api/products", new { sku = "UREA-50", name = "Urea" })).Expect(HttpStatusCode.Created);
        (await ops.PostJsonAsync("/api/distributors", new { id = "d-a", name = "d-a", regions = Regions, location = new { lat = 30.55, lon = 114.30 }, priority = 1, dailyCapacity = 100_000 }))
            .Expect(HttpStatusCode.Created);
        (await ops.PutJsonAsync("/api/distributors/d-a/inventory/UREA-50", new { onHand = 100_000, threshold = 0 })).Expect(HttpStatusCode.OK);
        var customers = Enumerable.Range(0, Neighbours + 1).Select(i => $"c-{i:000}").ToList();
        foreach (var c in customers)
            (await ops.PostJsonAsync("/api/customers", new { id = c, name = c, region = "420106", location = new { lat = 30.55, lon = 114.30 } }))
                .Expect(HttpStatusCode.Created);
        await Task.Delay(TimeSpan.FromMilliseconds(300)); // past the silo's snapshot cache, so the new distributor routes

        var attacker = api.As(Roles.Customer, customerId: customers[0]);
        var poisoned = Enumerable.Range(0, Poisoned).Select(i => attacker.PostJsonAsync("/api/orders",
            new { lines = new[] { new { sku = "UREA-50", quantity = 1, group = $"g\u0000{i}" } } }, $"poison-{i}")).ToList();
        var good = customers.Skip(1).SelectMany(c => Enumerable.Range(0, OrdersEach).Select(i =>
            api.As(Roles.Customer, customerId: c).PostJsonAsync("/api/orders",
                new { lines = new[] { new { sku = "UREA-50", quantity = 1, group = $"g-{i}" } } }, $"{c}-{i}"))).ToList();
        await Task.WhenAll([.. poisoned, .. good]);

        Assert.All(good.Select(t => t.Result), r => Assert.Equal("Allocated", (string?)r.Expect(HttpStatusCode.Created)["status"]));
        Assert.All(poisoned.Select(t => t.Result), r => Assert.Equal("invalidJson", (string?)r.ExpectProblem(HttpStatusCode.BadRequest)["code"]));
        var history = await ops.GetJsonAsync("/api/orders?pageSize=1");
        history.Expect(HttpStatusCode.OK);
        Assert.Equal($"{Neighbours * OrdersEach}", history.Headers.GetValues("X-Total-Count").Single());
        Assert.Empty((await attacker.GetJsonAsync("/api/orders")).Expect(HttpStatusCode.OK).AsArray());
    }
}
