using System.Net;
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

    [Fact]
    public async Task A_customer_sending_NULs_fails_only_its_own_requests_while_its_neighbours_orders_all_land()
    {
        var db = await postgres.CreateDatabaseAsync("poison");
        await using var api = new PostgresApi(db);
        await api.InitializeAsync();
        var world = await World.CreateAsync(api, stockA: 100_000, threshold: 0);
        var customers = await world.CustomersAsync(Neighbours + 1);

        var attacker = api.AsCustomer(customers[0]);
        var poisoned = Enumerable.Range(0, Poisoned).Select(i => attacker.PostJsonAsync("/api/orders",
            new { lines = new[] { new { sku = world.Sku, quantity = 1, group = $"g\u0000{i}" } } }, $"poison-{i}")).ToList();
        var good = customers.Skip(1).SelectMany(c => Enumerable.Range(0, OrdersEach).Select(i =>
            api.AsCustomer(c).PostJsonAsync("/api/orders",
                new { lines = new[] { new { sku = world.Sku, quantity = 1, group = $"g-{i}" } } }, $"{c}-{i}"))).ToList();
        await Task.WhenAll([.. poisoned, .. good]);

        Assert.All(good.Select(t => t.Result), r => Assert.Equal("Allocated", (string?)r.Expect(HttpStatusCode.Created)["status"]));
        Assert.All(poisoned.Select(t => t.Result), r => Assert.Equal("invalidJson", (string?)r.ExpectProblem(HttpStatusCode.BadRequest)["code"]));
        var history = await world.Ops.GetJsonAsync("/api/orders?pageSize=1");
        history.Expect(HttpStatusCode.OK);
        Assert.Equal($"{Neighbours * OrdersEach}", history.Headers.GetValues("X-Total-Count").Single());
        Assert.Empty((await attacker.GetJsonAsync("/api/orders")).Expect(HttpStatusCode.OK).AsArray());
    }
}
