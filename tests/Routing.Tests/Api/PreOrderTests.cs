using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;

namespace Routing.Tests.Api;

/// <summary>Pre-orders (OPERATIONS.md "Pre-orders"): taken for a customer with an Idempotency-Key, reserved at the routed
/// distributors until <c>expiresAt</c>; confirmed into the same order with the same reservations; cancelled or expired
/// (<c>preorderExpired</c>) and released.</summary>
[Collection(ApiCollection.Name)]
public sealed class PreOrderTests(ApiFactory api)
{
    private static object Body(World world, string customer, int quantity, int holdSeconds = 3600) =>
        new { customerId = customer, lines = new[] { new { sku = world.Sku, quantity } }, holdSeconds };

    private static async Task<JsonNode> TakeAsync(World world, HttpClient taker, string customer, int quantity, int holdSeconds = 3600, string? key = null) =>
        (await taker.PostJsonAsync("/api/preorders", Body(world, customer, quantity, holdSeconds), key ?? Guid.NewGuid().ToString())).Expect(HttpStatusCode.Created);

    [Fact]
    public async Task A_pre_order_is_reserved_until_confirmed_into_the_same_order_with_the_same_reservations()
    {
        var world = await World.CreateAsync(api);
        var taken = await TakeAsync(world, world.Ops, world.CustomerX, 6, holdSeconds: 3600, key: "pre-1");
        var id = (string)taken["orderId"]!;
        Assert.Equal(("PreOrder", true), ((string?)taken["status"], (bool)taken["preOrder"]!));
        Assert.Equal(((DateTimeOffset)taken["placedAt"]!).AddHours(1), (DateTimeOffset)taken["expiresAt"]!);
        Assert.Equal(6, await world.ReservedAsync());
        var allocations = taken["allocations"]!.ToJsonString();

        // The same request again is the same pre-order; the same key with another body is refused.
        var again = await world.Ops.PostJsonAsync("/api/preorders", Body(world, world.CustomerX, 6), "pre-1");
        Assert.Equal((id, "true"), ((string)again.Expect(HttpStatusCode.Created)["orderId"]!, again.Headers.GetValues("Idempotent-Replayed").Single()));
        Assert.Equal("idempotencyKeyReused", (string?)(await world.Ops.PostJsonAsync("/api/preorders", Body(world, world.CustomerX, 7), "pre-1"))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity)["code"]);
        Assert.Equal(6, await world.ReservedAsync());

        // No distributor confirms a pre-order before its customer does.
        var distributor = (string)taken["allocations"]![0]!["distributorId"]!;
        (await world.AsDistributor(distributor).PostJsonAsync($"/api/orders/{id}/confirm", null)).ExpectProblem(HttpStatusCode.Conflict);
        // Another customer does not see it.
        (await world.AsCustomer(world.CustomerY).PostJsonAsync($"/api/preorders/{id}/confirm", null)).ExpectProblem(HttpStatusCode.NotFound);

        var confirmed = (await world.AsCustomer(world.CustomerX).PostJsonAsync($"/api/preorders/{id}/confirm", null)).Expect(HttpStatusCode.OK);
        Assert.Equal(("Allocated", id, allocations), ((string?)confirmed["status"], (string)confirmed["orderId"]!, confirmed["allocations"]!.ToJsonString()));
        Assert.Null(confirmed["expiresAt"]);
        (await world.AsCustomer(world.CustomerX).PostJsonAsync($"/api/preorders/{id}/confirm", null)).Expect(HttpStatusCode.OK); // a repeat is harmless
        Assert.Equal(6, await world.ReservedAsync());
        Assert.Equal("notAllowed", (string?)(await world.Ops.PostJsonAsync($"/api/preorders/{id}/cancel", new { })).ExpectProblem(HttpStatusCode.Conflict)["code"]);
        Assert.Equal("Confirmed", (string?)(await world.AsDistributor(distributor).PostJsonAsync($"/api/orders/{id}/confirm", null)).Expect(HttpStatusCode.OK)["status"]);
    }

    [Fact]
    public async Task A_pre_order_cancelled_or_left_unconfirmed_releases_its_reservations()
    {
        var world = await World.CreateAsync(api);
        var cancelled = (string)(await TakeAsync(world, world.Ops, world.CustomerX, 5))["orderId"]!;
        var expiring = await TakeAsync(world, world.Ops, world.CustomerY, 4, holdSeconds: 1);
        Assert.Equal(9, await world.ReservedAsync());

        var answer = (await world.AsCustomer(world.CustomerX).PostJsonAsync($"/api/preorders/{cancelled}/cancel", new { reason = "changed my mind" })).Expect(HttpStatusCode.OK);
        Assert.Equal(("Cancelled", "byCustomer"), ((string?)answer["status"], (string?)answer["cancelReason"]));
        (await world.AsCustomer(world.CustomerX).PostJsonAsync($"/api/preorders/{cancelled}/cancel", null)).Expect(HttpStatusCode.OK); // a repeat is harmless
        Assert.Equal("notAllowed", (string?)(await world.AsCustomer(world.CustomerX).PostJsonAsync($"/api/preorders/{cancelled}/confirm", null))
            .ExpectProblem(HttpStatusCode.Conflict)["code"]);

        var expired = await Eventually.UntilAsync(async () => (await world.Ops.GetJsonAsync($"/api/orders/{expiring["orderId"]}")).Expect(HttpStatusCode.OK),
            o => (string?)o["status"] == "Cancelled", "the unconfirmed pre-order to expire", within: TimeSpan.FromSeconds(30));
        Assert.Equal("preorderExpired", (string?)expired["cancelReason"]);
        Assert.Equal(0, await world.ReservedAsync());
    }

    [Fact]
    public async Task The_list_shows_pre_orders_by_status_scoped_to_the_caller_and_an_unfillable_one_holds_nothing()
    {
        var world = await World.CreateAsync(api, stockA: 10, stockB: 10);
        var x = (string)(await TakeAsync(world, world.Ops, world.CustomerX, 2))["orderId"]!;
        var y = (string)(await TakeAsync(world, world.Ops, world.CustomerY, 3))["orderId"]!;
        (await world.AsCustomer(world.CustomerY).PostJsonAsync($"/api/preorders/{y}/confirm", null)).Expect(HttpStatusCode.OK);
        var regular = (string)(await world.OrderAsync(world.CustomerX, 1)).Expect(HttpStatusCode.Created)["orderId"]!;

        var unfillable = await TakeAsync(world, world.Ops, world.CustomerX, 50);
        Assert.Equal("Rejected", (string?)unfillable["status"]);
        Assert.Equal(6, await world.ReservedAsync());

        var waiting = (await world.Ops.GetJsonAsync("/api/preorders?status=PreOrder&pageSize=200")).Expect(HttpStatusCode.OK).AsArray().Select(o => (string)o!["orderId"]!).ToList();
        Assert.Contains(x, waiting);
        Assert.DoesNotContain(y, waiting);
        var all = (await world.Ops.GetJsonAsync("/api/preorders?pageSize=200")).Expect(HttpStatusCode.OK).AsArray().Select(o => (string)o!["orderId"]!).ToList();
        Assert.Contains(y, all);
        Assert.DoesNotContain(regular, all);
        var mine = (await world.AsCustomer(world.CustomerY).GetJsonAsync("/api/preorders")).Expect(HttpStatusCode.OK).AsArray().Select(o => (string)o!["orderId"]!).ToList();
        Assert.Equal([y], mine);
        (await world.Ops.GetJsonAsync("/api/preorders?status=Nope")).ExpectProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Bad_input_or_a_caller_who_may_not_take_pre_orders_changes_nothing()
    {
        var world = await World.CreateAsync(api);
        (await world.AsCustomer(world.CustomerX).PostJsonAsync("/api/preorders", Body(world, world.CustomerX, 2), "k")).ExpectProblem(HttpStatusCode.Forbidden);
        (await world.AsDistributor(world.DistributorA).PostJsonAsync("/api/preorders", Body(world, world.CustomerX, 2), "k")).ExpectProblem(HttpStatusCode.Forbidden);
        (await world.Ops.PostJsonAsync("/api/preorders", Body(world, world.CustomerX, 2), null)).ExpectProblem(HttpStatusCode.BadRequest);
        (await world.Ops.PostJsonAsync("/api/preorders", Body(world, "c-nobody", 2), "k")).ExpectProblem(HttpStatusCode.NotFound);
        (await world.Ops.PostJsonAsync("/api/preorders", new { customerId = world.CustomerX, lines = new[] { new { sku = world.Sku, quantity = 2 } } }, "k"))
            .ExpectProblem(HttpStatusCode.BadRequest); // holdSeconds missing: never guessed
        (await world.Ops.PostJsonAsync("/api/preorders", new { customerId = world.CustomerX, lines = new[] { new { sku = world.Sku, quantity = "2" } }, holdSeconds = 60 }, "k"))
            .ExpectProblem(HttpStatusCode.BadRequest);
        (await world.Ops.PostJsonAsync("/api/preorders", Body(world, world.CustomerX, 2, holdSeconds: 0), "k")).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Equal("unknownProduct", (string?)(await world.Ops.PostJsonAsync("/api/preorders",
            new { customerId = world.CustomerX, lines = new[] { new { sku = "no-such-sku", quantity = 2 } }, holdSeconds = 60 }, "k"))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity)["code"]);
        Assert.Equal(0, await world.ReservedAsync());
        (await world.Ops.PostJsonAsync("/api/preorders/o-none/confirm", null)).ExpectProblem(HttpStatusCode.NotFound);
        // An order that was not a pre-order is not one here.
        var regular = (string)(await world.OrderAsync(world.CustomerX, 1)).Expect(HttpStatusCode.Created)["orderId"]!;
        (await world.Ops.PostJsonAsync($"/api/preorders/{regular}/confirm", null)).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Expiries_confirmations_and_new_orders_racing_on_the_same_stock_never_oversell()
    {
        var world = await World.CreateAsync(api, stockA: 15, stockB: 15);
        var customers = Enumerable.Range(0, 6).Select(i => $"c-{world.Tag}-p{i}").ToList();
        foreach (var customer in customers)
            (await world.Ops.PostJsonAsync("/api/customers", World.CustomerBody(customer, world.DistributorA))).Expect(HttpStatusCode.Created);
        var taken = new ConcurrentBag<string>();
        var confirmed = new ConcurrentBag<string>();
        var regular = new ConcurrentBag<string>();
        // Ops keep taking 3-unit pre-orders held for 1 s (30 in stock) while customers buy; half are confirmed around the expiry.
        var until = DateTimeOffset.UtcNow.AddSeconds(4);
        await Task.WhenAll(customers.Select(async (customer, c) =>
        {
            var random = new Random(c);
            for (var n = 0; DateTimeOffset.UtcNow < until; n++)
            {
                if (n % 2 == 1)
                {
                    var order = await world.AsCustomer(customer).PostJsonAsync("/api/orders", new { lines = new[] { new { sku = world.Sku, quantity = 1 } } }, $"o-{n}");
                    if (order.Status == HttpStatusCode.Created) regular.Add((string)order.Json["orderId"]!);
                    await Task.Delay(50);
                    continue;
                }
                var reply = await world.Ops.PostJsonAsync("/api/preorders", Body(world, customer, 3, holdSeconds: 1), $"p-{n}");
                if (reply.Status == HttpStatusCode.TooManyRequests) continue; // one ops caller takes them all: its rate limit
                var id = (string)reply.Expect(HttpStatusCode.Created)["orderId"]!;
                taken.Add(id);
                if ((string?)reply.Json["status"] != "PreOrder" || n % 4 == 2) continue;
                await Task.Delay(random.Next(600, 1300));
                var answer = await world.AsCustomer(customer).PostJsonAsync($"/api/preorders/{id}/confirm", null);
                if (answer.Status == HttpStatusCode.OK) confirmed.Add(id);
                else Assert.Equal("notAllowed", (string?)answer.ExpectProblem(HttpStatusCode.Conflict)["code"]); // expired first
            }
        }));

        var views = await Eventually.UntilAsync(async () => await Task.WhenAll(taken.Select(async id => (await world.Ops.GetJsonAsync($"/api/orders/{id}")).Expect(HttpStatusCode.OK))),
            all => all.All(o => (string?)o["status"] != "PreOrder"), "every pre-order to be confirmed or expire", within: TimeSpan.FromSeconds(30));
        foreach (var o in views)
        {
            var (id, status, reason) = ((string)o["orderId"]!, (string?)o["status"], (string?)o["cancelReason"]);
            Assert.True((status, reason) is ("Allocated", null) or ("Cancelled", "preorderExpired") or ("Rejected", null), $"{id}: {status} ({reason})");
            if (confirmed.Contains(id)) Assert.Equal("Allocated", status);
        }
        Assert.NotEmpty(confirmed);
        Assert.Contains(views, o => (string?)o["cancelReason"] == "preorderExpired");
        var all = await Task.WhenAll(regular.Select(async id => (await world.Ops.GetJsonAsync($"/api/orders/{id}")).Expect(HttpStatusCode.OK)));
        var held = all.Concat(views).Where(o => (string?)o["status"] == "Allocated").Sum(o => (int)o["lines"]![0]!["quantity"]!);
        Assert.Equal(held, await world.ReservedAsync());
        Assert.True(held <= 30, $"{held} units held of 30 in stock");
    }
}
