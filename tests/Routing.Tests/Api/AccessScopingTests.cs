using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Routing.Api.Auth;

namespace Routing.Tests.Api;

/// <summary>Who may see and do what (PRODUCT.md "Invariants": a distributor sees only its own stock and alerts, a
/// customer only its own orders, a sales manager only its customers' orders and profiles; the customer placing an order is
/// the token's). Two distributors, two customers (each with a sales manager of its own where the test asks for them).</summary>
[Collection(ApiCollection.Name)]
public sealed class AccessScopingTests(ApiFactory api)
{
    public static TheoryData<string, string> ProtectedEndpoints => new()
    {
        { "GET", "/api/campaigns" },
        { "GET", "/api/distributors" },
        { "POST", "/api/distributors" },
        { "GET", "/api/alerts" },
        { "GET", "/api/orders/o-0000000000" },
        { "POST", "/api/campaigns/gb-x/orders" },
        { "PUT", "/api/policies/p-1" },
    };

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task A_request_without_a_token_is_401(string method, string path)
    {
        var reply = await api.Client(token: null).SendJsonAsync(new HttpMethod(method), path, method == "GET" ? null : "{}", idempotencyKey: "k-1");

        reply.ExpectProblem(HttpStatusCode.Unauthorized);
        Assert.Contains(reply.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    public static TheoryData<string> BadTokens => [.. BadToken.Kinds.Keys];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_token_that_does_not_validate_is_401(string kind)
    {
        var client = api.Client(BadToken.Kinds[kind]());

        var reply = await client.GetJsonAsync("/api/campaigns");

        reply.ExpectProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_well_formed_token_signed_with_the_configured_key_is_accepted()
    {
        // The control for the 401 table: the same shape of token, minted right, gets in.
        var reply = await api.Client(BadToken.Mint(ApiFactory.SigningKey)).GetJsonAsync("/api/campaigns");
        reply.Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_distributor_reads_its_own_inventory_and_profile_but_not_another_distributors()
    {
        var world = await World.CreateAsync(api);
        var a = world.AsDistributor(world.DistributorA);

        var own = (await a.GetJsonAsync($"/api/distributors/{world.DistributorA}/inventory")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Equal(world.Sku, (string?)Assert.Single(own)!["sku"]);
        (await a.GetJsonAsync($"/api/distributors/{world.DistributorA}")).Expect(HttpStatusCode.OK);

        // Another distributor's resources are answered exactly like ones that do not exist.
        foreach (var path in new[] { "", "/inventory", "/reservations", "/ledger" })
        {
            var theirs = (await a.GetJsonAsync($"/api/distributors/{world.DistributorB}{path}")).ExpectProblem(HttpStatusCode.NotFound);
            var none = (await world.Ops.GetJsonAsync($"/api/distributors/d-{world.Tag}-none{path}")).ExpectProblem(HttpStatusCode.NotFound);
            Assert.Equal((string?)none["code"], (string?)theirs["code"]);
        }

        var listed = (await a.GetJsonAsync("/api/distributors")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Equal(world.DistributorA, (string?)Assert.Single(listed)!["id"]);
    }

    [Fact]
    public async Task A_distributor_lists_only_its_own_alerts()
    {
        var world = await World.CreateAsync(api);
        await world.SetStockAsync(world.DistributorA, onHand: 5, threshold: 10);
        await world.SetStockAsync(world.DistributorB, onHand: 5, threshold: 10);
        var bAlerts = (await world.Ops.GetJsonAsync($"/api/alerts?distributorId={world.DistributorB}")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Contains(bAlerts, x => (string?)x!["kind"] == "LowStock");

        var a = world.AsDistributor(world.DistributorA);
        var seen = (await a.GetJsonAsync("/api/alerts")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Contains(seen, x => (string?)x!["kind"] == "LowStock" && (string?)x["sku"] == world.Sku);
        Assert.All(seen, x => Assert.Equal(world.DistributorA, (string?)x!["distributorId"]));

        // Asking for another distributor's alerts by query string still shows only its own.
        var asked = (await a.GetJsonAsync($"/api/alerts?distributorId={world.DistributorB}")).Expect(HttpStatusCode.OK).AsArray();
        Assert.NotEmpty(asked);
        Assert.All(asked, x => Assert.Equal(world.DistributorA, (string?)x!["distributorId"]));
    }

    [Fact]
    public async Task A_distributor_cannot_acknowledge_another_distributors_alert_it_does_not_exist_for_it()
    {
        var world = await World.CreateAsync(api);
        await world.SetStockAsync(world.DistributorA, onHand: 5, threshold: 10);
        await world.SetStockAsync(world.DistributorB, onHand: 5, threshold: 10);
        var bAlert = await LowStockAlertAsync(world, world.DistributorB);
        var aAlert = await LowStockAlertAsync(world, world.DistributorA);
        var a = world.AsDistributor(world.DistributorA);

        (await a.PostJsonAsync($"/api/alerts/{bAlert}/acknowledge", body: null)).ExpectProblem(HttpStatusCode.NotFound);

        var still = (await world.Ops.GetJsonAsync($"/api/alerts?distributorId={world.DistributorB}&openOnly=true")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Contains(still, x => (long)x!["id"]! == bAlert);
        var own = (await a.PostJsonAsync($"/api/alerts/{aAlert}/acknowledge", body: null)).Expect(HttpStatusCode.OK);
        Assert.Equal(world.DistributorA, (string?)own["acknowledgedBy"]);
    }

    [Fact]
    public async Task A_customer_reads_its_own_order_and_another_customers_order_does_not_exist_for_it()
    {
        var world = await World.CreateAsync(api);
        var order = (string)(await world.OrderAsync(world.CustomerX, 2)).Expect(HttpStatusCode.Created)["orderId"]!;
        var x = world.AsCustomer(world.CustomerX);
        var y = world.AsCustomer(world.CustomerY);

        (await x.GetJsonAsync($"/api/orders/{order}")).Expect(HttpStatusCode.OK);
        (await y.GetJsonAsync($"/api/orders/{order}")).ExpectProblem(HttpStatusCode.NotFound);
        (await y.GetJsonAsync($"/api/customers/{world.CustomerX}")).ExpectProblem(HttpStatusCode.NotFound);
        (await y.GetJsonAsync($"/api/customers/{world.CustomerX}/orders")).ExpectProblem(HttpStatusCode.NotFound);
        var yList = (await y.GetJsonAsync($"/api/orders?customerId={world.CustomerX}")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Empty(yList); // the query names X, the token names Y: Y's (no) orders

        // Nor can Y cancel it: it does not exist for Y, and stays allocated.
        (await y.PostJsonAsync($"/api/orders/{order}/cancel", new { reason = "not mine" })).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal("Allocated", (string?)(await x.GetJsonAsync($"/api/orders/{order}")).Expect(HttpStatusCode.OK)["status"]);
        Assert.Equal(2, await world.ReservedAsync());
    }

    [Fact]
    public async Task A_distributor_reads_orders_allocated_to_it_and_no_others()
    {
        var world = await World.CreateAsync(api);
        var order = (string)(await world.OrderAsync(world.CustomerX, 2)).Expect(HttpStatusCode.Created)["orderId"]!; // to A, X's home

        (await world.AsDistributor(world.DistributorA).GetJsonAsync($"/api/orders/{order}")).Expect(HttpStatusCode.OK);
        (await world.AsDistributor(world.DistributorB).GetJsonAsync($"/api/orders/{order}")).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_customer_cannot_create_distributors_nor_read_alerts()
    {
        var world = await World.CreateAsync(api);
        var x = world.AsCustomer(world.CustomerX);
        var id = $"d-{world.Tag}-c";

        (await x.PostJsonAsync("/api/distributors", World.DistributorBody(id, 30.5, 114.3, priority: 1))).ExpectProblem(HttpStatusCode.Forbidden);
        (await x.GetJsonAsync("/api/alerts")).ExpectProblem(HttpStatusCode.Forbidden);
        (await x.PutJsonAsync($"/api/distributors/{world.DistributorA}/inventory/{world.Sku}", new { onHand = 1, threshold = 0 }))
            .ExpectProblem(HttpStatusCode.Forbidden);

        (await world.Ops.GetJsonAsync($"/api/distributors/{id}")).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal(100, (int)(await world.StockAsync(world.DistributorA))["onHand"]!);
    }

    public static TheoryData<string> NonCustomerCallers => ["ops", "distributor"];

    [Theory]
    [MemberData(nameof(NonCustomerCallers))]
    public async Task Orders_are_placed_only_by_customer_tokens(string caller)
    {
        var world = await World.CreateAsync(api);
        var token = caller == "ops" ? api.OpsToken : api.Token(Roles.Distributor, distributorId: world.DistributorA);

        var reply = await api.Client(token).PostJsonAsync($"/api/campaigns/{world.Campaign}/orders", new { quantity = 1 },
            Guid.NewGuid().ToString());

        reply.ExpectProblem(HttpStatusCode.Forbidden);
        Assert.Equal(0, await world.ReservedAsync());
        await world.SettleQuotaAsync();
        Assert.Equal(0, (int)(await world.CampaignAsync())["sold"]!);
    }

    [Fact]
    public async Task The_ordering_customer_is_the_tokens_customer_a_body_field_cannot_change_it()
    {
        var world = await World.CreateAsync(api);
        var x = world.AsCustomer(world.CustomerX);

        // A body that names a customer is refused outright (there is no such field), and places nothing.
        var named = await x.PostJsonAsync($"/api/campaigns/{world.Campaign}/orders",
            new { quantity = 2, customerId = world.CustomerY }, Guid.NewGuid().ToString());
        Assert.Equal("invalidJson", (string?)named.ExpectProblem(HttpStatusCode.BadRequest)["code"]);
        Assert.Equal(0, await world.ReservedAsync());

        var placed = (await x.PostJsonAsync($"/api/campaigns/{world.Campaign}/orders", new { quantity = 2 }, Guid.NewGuid().ToString()))
            .Expect(HttpStatusCode.Created);

        Assert.Equal(world.CustomerX, (string?)placed["customerId"]);
        Assert.Equal(world.DistributorA, (string?)placed["allocations"]![0]!["distributorId"]); // X's home, not Y's
        var y = world.AsCustomer(world.CustomerY);
        (await y.GetJsonAsync($"/api/orders/{placed["orderId"]}")).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Empty((await y.GetJsonAsync("/api/orders")).Expect(HttpStatusCode.OK).AsArray());
        Assert.Single((await x.GetJsonAsync("/api/orders")).Expect(HttpStatusCode.OK).AsArray());
    }

    [Fact]
    public async Task The_same_idempotency_key_from_two_customers_is_two_orders()
    {
        var world = await World.CreateAsync(api);
        var key = Guid.NewGuid().ToString();

        var x = (await world.OrderAsync(world.CustomerX, 2, key)).Expect(HttpStatusCode.Created);
        var y = await world.OrderAsync(world.CustomerY, 3, key);

        var yOrder = y.Expect(HttpStatusCode.Created);
        Assert.False(y.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual((string?)x["orderId"], (string?)yOrder["orderId"]);
        Assert.Equal(world.CustomerY, (string?)yOrder["customerId"]);
        Assert.Equal(5, await world.ReservedAsync());
    }

    [Fact]
    public async Task A_customer_token_for_an_unregistered_customer_places_nothing()
    {
        var world = await World.CreateAsync(api);

        var reply = await world.AsCustomer($"c-{world.Tag}-ghost").PostJsonAsync($"/api/campaigns/{world.Campaign}/orders",
            new { quantity = 1 }, Guid.NewGuid().ToString());

        reply.ExpectProblem(HttpStatusCode.NotFound);
        await world.SettleQuotaAsync();
        Assert.Equal(0, await world.ReservedAsync());
        Assert.Equal(0, (int)(await world.CampaignAsync())["sold"]!);
    }

    public static TheoryData<string> ScopelessTokens => [.. ScopelessToken.Kinds.Keys];

    /// <summary>A token whose scope is unclear is refused at sign-in, on every endpoint, so no endpoint can fail open.</summary>
    [Theory]
    [MemberData(nameof(ScopelessTokens))]
    public async Task A_token_without_one_known_role_and_its_id_is_refused_everywhere(string kind)
    {
        var world = await World.CreateAsync(api);
        (await world.OrderAsync(world.CustomerX, 1)).Expect(HttpStatusCode.Created);
        var client = api.Client(ScopelessToken.Kinds[kind](world));

        foreach (var path in new[] { "/api/orders", "/api/alerts", "/api/campaigns", "/api/products", $"/api/customers/{world.CustomerX}/orders" })
            (await client.GetJsonAsync(path)).ExpectProblem(HttpStatusCode.Unauthorized);
        (await client.PostJsonAsync($"/api/campaigns/{world.Campaign}/orders", new { quantity = 1 }, Guid.NewGuid().ToString()))
            .ExpectProblem(HttpStatusCode.Unauthorized);
        Assert.Equal(1, await world.ReservedAsync());
    }

    [Fact]
    public async Task A_token_living_exactly_as_long_as_allowed_is_accepted()
    {
        var token = ScopelessToken.Mint([new Claim(Roles.RoleClaim, Roles.Ops)], TokenRules.DefaultMaxLifetime);
        (await api.Client(token).GetJsonAsync("/api/campaigns")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_customer_sees_its_outcome_and_chosen_distributor_but_not_other_distributors_stock()
    {
        var world = await World.CreateAsync(api, stockA: 5, stockB: 7);
        var x = world.AsCustomer(world.CustomerX);
        var allocated = (string)(await world.OrderAsync(world.CustomerX, 3)).Expect(HttpStatusCode.Created)["orderId"]!;
        var rejected = (await x.PostJsonAsync("/api/orders", new { lines = new[] { new { sku = world.Sku, quantity = 40 } } }, Guid.NewGuid().ToString()))
            .Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", (string?)rejected["status"]);

        // Ops see the whole explanation, with every candidate's stock.
        var opsView = (await world.Ops.GetJsonAsync($"/api/orders/{rejected["orderId"]}")).Expect(HttpStatusCode.OK);
        Assert.NotNull(opsView["explanation"]);
        Assert.Contains(world.DistributorB, (string)opsView["reason"]!);

        // The customer sees its outcome and who serves it, nothing of how the other distributors fared.
        foreach (var view in new[]
                 {
                     rejected,
                     (await x.GetJsonAsync($"/api/orders/{rejected["orderId"]}")).Expect(HttpStatusCode.OK),
                     (await x.GetJsonAsync($"/api/orders/{allocated}")).Expect(HttpStatusCode.OK),
                     (await x.GetJsonAsync($"/api/customers/{world.CustomerX}/orders")).Expect(HttpStatusCode.OK).AsArray()[0]!,
                     (await x.GetJsonAsync("/api/orders")).Expect(HttpStatusCode.OK).AsArray()[0]!,
                 })
        {
            Assert.Null(view["explanation"]);
            var reason = (string?)view["reason"] ?? "";
            Assert.DoesNotContain(world.DistributorA, reason);
            Assert.DoesNotContain(world.DistributorB, reason);
            Assert.DoesNotMatch("[0-9]", reason);
        }
        var mine = (await x.GetJsonAsync($"/api/orders/{allocated}")).Expect(HttpStatusCode.OK);
        Assert.Equal(world.DistributorA, (string?)mine["allocations"]![0]!["distributorId"]);
    }

    [Fact]
    public async Task A_sales_manager_reads_the_orders_placed_under_it_and_no_others_whatever_its_query_asks_for()
    {
        var world = await World.CreateAsync(api, salesManagers: true);
        var xOrder = (string)(await world.OrderAsync(world.CustomerX, 2)).Expect(HttpStatusCode.Created)["orderId"]!; // to A
        var yOrder = (string)(await world.OrderAsync(world.CustomerY, 3)).Expect(HttpStatusCode.Created)["orderId"]!; // to B
        var unmanaged = (await world.CustomersAsync(1))[0];
        var zOrder = (string)(await world.OrderAsync(unmanaged, 1)).Expect(HttpStatusCode.Created)["orderId"]!;
        var s = world.AsSales(world.SalesManagerX);

        // Its customer's order, as the customer sees it: no routing explanation.
        var seen = (await s.GetJsonAsync($"/api/orders/{xOrder}")).Expect(HttpStatusCode.OK);
        Assert.Equal(world.SalesManagerX, (string?)seen["salesManagerId"]);
        Assert.Null(seen["explanation"]);
        Assert.Equal(world.DistributorA, (string?)seen["allocations"]![0]!["distributorId"]);
        Assert.NotNull((await world.Ops.GetJsonAsync($"/api/orders/{xOrder}")).Expect(HttpStatusCode.OK)["explanation"]);

        // Another manager's customer's order, and one of a customer without a manager, do not exist for it.
        (await s.GetJsonAsync($"/api/orders/{yOrder}")).ExpectProblem(HttpStatusCode.NotFound);
        (await s.GetJsonAsync($"/api/orders/{zOrder}")).ExpectProblem(HttpStatusCode.NotFound);

        // Its list is its customers' orders, whatever the query names.
        Assert.Equal(xOrder, (string?)Assert.Single((await s.GetJsonAsync("/api/orders")).Expect(HttpStatusCode.OK).AsArray())!["orderId"]);
        Assert.Equal(xOrder, (string?)Assert.Single((await s.GetJsonAsync($"/api/orders?campaignId={world.Campaign}")).Expect(HttpStatusCode.OK).AsArray())!["orderId"]);
        Assert.Empty((await s.GetJsonAsync($"/api/orders?customerId={world.CustomerY}")).Expect(HttpStatusCode.OK).AsArray());
        Assert.Empty((await s.GetJsonAsync($"/api/orders?customerId={unmanaged}")).Expect(HttpStatusCode.OK).AsArray());
        Assert.Empty((await s.GetJsonAsync($"/api/orders?distributorId={world.DistributorB}")).Expect(HttpStatusCode.OK).AsArray());
        Assert.All((await s.GetJsonAsync("/api/orders")).Expect(HttpStatusCode.OK).AsArray(), o => Assert.Null(o!["explanation"]));

        // The other manager sees its own, and the customers still see theirs.
        Assert.Equal(yOrder, (string?)Assert.Single((await world.AsSales(world.SalesManagerY).GetJsonAsync("/api/orders")).Expect(HttpStatusCode.OK).AsArray())!["orderId"]);
        (await world.AsCustomer(world.CustomerX).GetJsonAsync($"/api/orders/{xOrder}")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_sales_manager_reads_the_customers_it_manages_and_another_managers_customer_does_not_exist_for_it()
    {
        var world = await World.CreateAsync(api, salesManagers: true);
        var xOrder = (string)(await world.OrderAsync(world.CustomerX, 2)).Expect(HttpStatusCode.Created)["orderId"]!;
        (await world.OrderAsync(world.CustomerY, 1)).Expect(HttpStatusCode.Created);
        var s = world.AsSales(world.SalesManagerX);

        var customer = (await s.GetJsonAsync($"/api/customers/{world.CustomerX}")).Expect(HttpStatusCode.OK);
        Assert.Equal(world.SalesManagerX, (string?)customer["salesManagerId"]);
        var orders = (await s.GetJsonAsync($"/api/customers/{world.CustomerX}/orders")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Equal(xOrder, (string?)Assert.Single(orders)!["orderId"]);
        Assert.Null(orders[0]!["explanation"]);

        // Another manager's customer is answered exactly like one that does not exist.
        foreach (var path in new[] { "", "/orders" })
        {
            var theirs = (await s.GetJsonAsync($"/api/customers/{world.CustomerY}{path}")).ExpectProblem(HttpStatusCode.NotFound);
            var none = (await s.GetJsonAsync($"/api/customers/c-{world.Tag}-none{path}")).ExpectProblem(HttpStatusCode.NotFound);
            Assert.Equal((string?)none["code"], (string?)theirs["code"]);
        }
        (await world.AsSales(world.SalesManagerY).GetJsonAsync($"/api/customers/{world.CustomerY}")).Expect(HttpStatusCode.OK);
        (await world.AsCustomer(world.CustomerX).GetJsonAsync($"/api/customers/{world.CustomerX}")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_order_stays_with_the_sales_manager_it_was_placed_under_when_its_customer_changes_manager()
    {
        var world = await World.CreateAsync(api, salesManagers: true);
        var before = (string)(await world.OrderAsync(world.CustomerX, 2)).Expect(HttpStatusCode.Created)["orderId"]!;

        var moved = (await world.Ops.PostJsonAsync("/api/customers", World.CustomerBody(world.CustomerX, world.DistributorA, world.SalesManagerY)))
            .Expect(HttpStatusCode.OK);
        Assert.Equal(world.SalesManagerY, (string?)moved["salesManagerId"]);
        var after = (string)(await world.OrderAsync(world.CustomerX, 1)).Expect(HttpStatusCode.Created)["orderId"]!;

        var (sx, sy) = (world.AsSales(world.SalesManagerX), world.AsSales(world.SalesManagerY));
        Assert.Equal(world.SalesManagerX, (string?)(await sx.GetJsonAsync($"/api/orders/{before}")).Expect(HttpStatusCode.OK)["salesManagerId"]);
        (await sx.GetJsonAsync($"/api/orders/{after}")).ExpectProblem(HttpStatusCode.NotFound);
        (await sx.GetJsonAsync($"/api/customers/{world.CustomerX}")).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal(before, (string?)Assert.Single((await sx.GetJsonAsync("/api/orders")).Expect(HttpStatusCode.OK).AsArray())!["orderId"]);

        (await sy.GetJsonAsync($"/api/orders/{before}")).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal(world.SalesManagerY, (string?)(await sy.GetJsonAsync($"/api/orders/{after}")).Expect(HttpStatusCode.OK)["salesManagerId"]);
        var xOrders = (await sy.GetJsonAsync($"/api/customers/{world.CustomerX}/orders")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Equal(after, (string?)Assert.Single(xOrders)!["orderId"]); // the customer's orders placed under it

        // Without a manager, the customer's next order has none.
        (await world.Ops.PostJsonAsync("/api/customers", World.CustomerBody(world.CustomerX, world.DistributorA))).Expect(HttpStatusCode.OK);
        var unmanaged = (await world.OrderAsync(world.CustomerX, 1)).Expect(HttpStatusCode.Created);
        Assert.Null(unmanaged["salesManagerId"]);
        (await sy.GetJsonAsync($"/api/customers/{world.CustomerX}")).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_sales_manager_cancels_its_customers_order_but_neither_fulfils_it_nor_cancels_another_managers()
    {
        var world = await World.CreateAsync(api, salesManagers: true);
        var xOrder = (string)(await world.OrderAsync(world.CustomerX, 2)).Expect(HttpStatusCode.Created)["orderId"]!;
        var yOrder = (string)(await world.OrderAsync(world.CustomerY, 3)).Expect(HttpStatusCode.Created)["orderId"]!;
        var s = world.AsSales(world.SalesManagerX);

        (await s.PostJsonAsync($"/api/orders/{yOrder}/cancel", new { reason = "not mine" })).ExpectProblem(HttpStatusCode.NotFound);
        (await s.PostJsonAsync($"/api/orders/{yOrder}/reroute", new { })).ExpectProblem(HttpStatusCode.NotFound);
        foreach (var step in new[] { "confirm", "ship", "complete" })
            (await s.PostJsonAsync($"/api/orders/{xOrder}/{step}", body: null)).ExpectProblem(HttpStatusCode.Forbidden);
        Assert.Equal("Allocated", (string?)(await world.Ops.GetJsonAsync($"/api/orders/{xOrder}")).Expect(HttpStatusCode.OK)["status"]);
        Assert.Equal(5, await world.ReservedAsync());

        var cancelled = (await s.PostJsonAsync($"/api/orders/{xOrder}/cancel", new { reason = "the grower called" })).Expect(HttpStatusCode.OK);

        Assert.Equal("Cancelled", (string?)cancelled["status"]);
        Assert.Equal("bySalesManager", (string?)cancelled["cancelReason"]);
        Assert.Null(cancelled["explanation"]);
        Assert.Equal(3, await world.ReservedAsync());
        Assert.Equal("Allocated", (string?)(await world.Ops.GetJsonAsync($"/api/orders/{yOrder}")).Expect(HttpStatusCode.OK)["status"]);
    }

    [Fact]
    public async Task A_sales_manager_takes_confirms_and_cancels_pre_orders_for_its_own_customers_only()
    {
        var world = await World.CreateAsync(api, salesManagers: true);
        var s = world.AsSales(world.SalesManagerX);
        object Body(string customer, int quantity) => new { customerId = customer, lines = new[] { new { sku = world.Sku, quantity } }, holdSeconds = 3600 };

        // Another manager's customer does not exist for it, and nothing is reserved.
        (await s.PostJsonAsync("/api/preorders", Body(world.CustomerY, 3), Guid.NewGuid().ToString())).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal(0, await world.ReservedAsync());

        var taken = (await s.PostJsonAsync("/api/preorders", Body(world.CustomerX, 4), Guid.NewGuid().ToString())).Expect(HttpStatusCode.Created);
        var id = (string)taken["orderId"]!;
        Assert.Equal(("PreOrder", world.SalesManagerX, world.CustomerX), ((string?)taken["status"], (string?)taken["salesManagerId"], (string?)taken["customerId"]));
        Assert.Null(taken["explanation"]);
        var theirs = (string)(await world.Ops.PostJsonAsync("/api/preorders", Body(world.CustomerY, 2), Guid.NewGuid().ToString())).Expect(HttpStatusCode.Created)["orderId"]!;
        Assert.Equal(6, await world.ReservedAsync());

        // The other manager's customer's pre-order does not exist for it; its list is its own.
        (await s.PostJsonAsync($"/api/preorders/{theirs}/confirm", null)).ExpectProblem(HttpStatusCode.NotFound);
        (await s.PostJsonAsync($"/api/preorders/{theirs}/cancel", new { })).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal(id, (string?)Assert.Single((await s.GetJsonAsync("/api/preorders")).Expect(HttpStatusCode.OK).AsArray())!["orderId"]);

        var confirmed = (await s.PostJsonAsync($"/api/preorders/{id}/confirm", null)).Expect(HttpStatusCode.OK);
        Assert.Equal(("Allocated", id), ((string?)confirmed["status"], (string)confirmed["orderId"]!));
        var another = (string)(await s.PostJsonAsync("/api/preorders", Body(world.CustomerX, 1), Guid.NewGuid().ToString())).Expect(HttpStatusCode.Created)["orderId"]!;
        var cancelled = (await s.PostJsonAsync($"/api/preorders/{another}/cancel", new { reason = "the grower changed plans" })).Expect(HttpStatusCode.OK);
        Assert.Equal(("Cancelled", "bySalesManager"), ((string?)cancelled["status"], (string?)cancelled["cancelReason"]));
        Assert.Equal(6, await world.ReservedAsync());
        Assert.Equal("PreOrder", (string?)(await world.Ops.GetJsonAsync($"/api/orders/{theirs}")).Expect(HttpStatusCode.OK)["status"]);
    }

    [Fact]
    public async Task A_sales_manager_is_refused_everything_but_its_customers_and_their_orders_and_changes_nothing()
    {
        var world = await World.CreateAsync(api, salesManagers: true);
        await world.SetStockAsync(world.DistributorA, onHand: 100, threshold: 200); // an open LowStock alert
        var alerts = (await world.Ops.GetJsonAsync($"/api/alerts?distributorId={world.DistributorA}&openOnly=true")).Expect(HttpStatusCode.OK).AsArray();
        var alert = (long)alerts.First(x => (string?)x!["sku"] == world.Sku)!["id"]!;
        var xOrder = (string)(await world.OrderAsync(world.CustomerX, 2)).Expect(HttpStatusCode.Created)["orderId"]!;
        var s = world.AsSales(world.SalesManagerX);
        var newCustomer = $"c-{world.Tag}-by-sales";
        var a = world.DistributorA;

        var refused = new (string Method, string Path)[]
        {
            ("POST", "/api/distributors"), ("GET", "/api/distributors"), ("GET", $"/api/distributors/{a}"),
            ("GET", $"/api/distributors/{a}/inventory"), ("GET", $"/api/distributors/{a}/reservations"), ("GET", $"/api/distributors/{a}/ledger"),
            ("GET", $"/api/distributors/{a}/ledger/summary"),
            ("PUT", $"/api/distributors/{a}/inventory/{world.Sku}"),
            ("GET", "/api/alerts"), ("POST", $"/api/alerts/{alert}/acknowledge"),
            ("POST", "/api/customers"), ("POST", "/api/products"), ("POST", "/api/campaigns"),
            ("POST", $"/api/campaigns/{world.Campaign}/orders"), ("POST", "/api/orders"),
            ("GET", "/api/policies"), ("GET", "/api/policies/default"), ("PUT", "/api/policies/p-sales"), ("GET", "/api/policy-defaults"),
            ("GET", "/api/exceptions"), ("GET", "/api/reviews"), ("GET", "/api/review-rules"), ("PUT", "/api/review-rules"),
            ("POST", $"/api/orders/{xOrder}/approve"), ("POST", $"/api/orders/{xOrder}/reject"), ("POST", "/api/reviews/approve"),
            ("POST", $"/api/orders/{xOrder}/payment"), ("POST", $"/api/orders/{xOrder}/refund"),
            ("POST", $"/api/orders/{xOrder}/confirm"), ("POST", $"/api/orders/{xOrder}/ship"), ("POST", $"/api/orders/{xOrder}/complete"),
            ("GET", "/api/simulations/flash-sale"), ("POST", "/api/simulations/flash-sale"),
        };
        object? Body(string path) => path switch
        {
            "/api/distributors" => World.DistributorBody($"d-{world.Tag}-by-sales", 30.5, 114.3, priority: 1),
            "/api/customers" => World.CustomerBody(newCustomer, a, world.SalesManagerX),
            _ when path.EndsWith("/inventory/" + world.Sku, StringComparison.Ordinal) => new { onHand = 1, threshold = 0 },
            _ when path.EndsWith("/orders", StringComparison.Ordinal) => new { quantity = 1 },
            _ => "{}",
        };
        foreach (var (method, path) in refused)
        {
            var reply = await s.SendJsonAsync(new HttpMethod(method), path, method == "GET" ? null : Body(path), idempotencyKey: Guid.NewGuid().ToString());
            Assert.True(reply.Status == HttpStatusCode.Forbidden, $"{method} {path}: expected 403, got {reply}");
            reply.ExpectProblem(HttpStatusCode.Forbidden);
        }
        using (var metrics = await s.GetAsync("/metrics")) Assert.Equal(HttpStatusCode.Forbidden, metrics.StatusCode);

        // Nothing changed: no distributor or customer made, stock, the order and the alert as they were.
        (await world.Ops.GetJsonAsync($"/api/distributors/d-{world.Tag}-by-sales")).ExpectProblem(HttpStatusCode.NotFound);
        (await world.Ops.GetJsonAsync($"/api/customers/{newCustomer}")).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal(100, (int)(await world.StockAsync(a))["onHand"]!);
        Assert.Equal(2, await world.ReservedAsync());
        Assert.Equal("Allocated", (string?)(await world.Ops.GetJsonAsync($"/api/orders/{xOrder}")).Expect(HttpStatusCode.OK)["status"]);
        var still = (await world.Ops.GetJsonAsync($"/api/alerts?distributorId={a}&openOnly=true")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Contains(still, x => (long)x!["id"]! == alert);

        // Reference data anyone signed in reads, it reads too.
        (await s.GetJsonAsync($"/api/campaigns/{world.Campaign}")).Expect(HttpStatusCode.OK);
        (await s.GetJsonAsync($"/api/products/{world.Sku}")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_token_verb_mints_a_sales_token_only_for_a_sales_id_and_it_is_scoped_to_that_manager()
    {
        var world = await World.CreateAsync(api, salesManagers: true);
        var xOrder = (string)(await world.OrderAsync(world.CustomerX, 1)).Expect(HttpStatusCode.Created)["orderId"]!;
        (await world.OrderAsync(world.CustomerY, 1)).Expect(HttpStatusCode.Created);

        string[][] withoutAnId = [["token", "--role", "sales"], ["token", "--role", "sales", "--sales", "s 1"]];
        foreach (var args in withoutAnId)
        {
            using var refusedOutput = new StringWriter();
            using var refusedError = new StringWriter();
            Assert.Equal(2, TokenIssuer.RunCommand(args, api.TokenSettings, refusedOutput, refusedError));
            Assert.Contains("--sales", refusedError.ToString());
            Assert.Equal("", refusedOutput.ToString());
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(0, TokenIssuer.RunCommand(["token", "--role", "sales", "--sales", world.SalesManagerX], api.TokenSettings, output, error));
        var s = api.Client(output.ToString().Trim());
        Assert.Equal(xOrder, (string?)Assert.Single((await s.GetJsonAsync("/api/orders")).Expect(HttpStatusCode.OK).AsArray())!["orderId"]);
    }

    private static async Task<long> LowStockAlertAsync(World world, string distributorId)
    {
        var alerts = (await world.Ops.GetJsonAsync($"/api/alerts?distributorId={distributorId}&openOnly=true")).Expect(HttpStatusCode.OK).AsArray();
        return (long)alerts.Single(x => (string?)x!["kind"] == "LowStock" && (string?)x["sku"] == world.Sku)!["id"]!;
    }

    /// <summary>Validly signed tokens whose scope is unclear: each must be refused, though its signature is good.</summary>
    private static class ScopelessToken
    {
        public static readonly Dictionary<string, Func<World, string>> Kinds = new()
        {
            ["a customer without customer_id"] = _ => Mint([new Claim(Roles.RoleClaim, Roles.Customer)]),
            ["a distributor without distributor_id"] = _ => Mint([new Claim(Roles.RoleClaim, Roles.Distributor)]),
            ["a customer with an empty customer_id"] = _ => Mint([new Claim(Roles.RoleClaim, Roles.Customer), new Claim(Roles.CustomerIdClaim, "")]),
            ["a customer with two customer_ids"] = w => Mint([new Claim(Roles.RoleClaim, Roles.Customer),
                new Claim(Roles.CustomerIdClaim, w.CustomerX), new Claim(Roles.CustomerIdClaim, w.CustomerY)]),
            ["roles as an array [customer, ops]"] = w => Mint([new Claim(Roles.RoleClaim, Roles.Customer), new Claim(Roles.RoleClaim, Roles.Ops),
                new Claim(Roles.CustomerIdClaim, w.CustomerX)]),
            ["a sales manager without sales_id"] = _ => Mint([new Claim(Roles.RoleClaim, Roles.Sales)]),
            ["a sales manager with an empty sales_id"] = _ => Mint([new Claim(Roles.RoleClaim, Roles.Sales), new Claim(Roles.SalesIdClaim, "")]),
            ["a sales manager with two sales_ids"] = _ => Mint([new Claim(Roles.RoleClaim, Roles.Sales),
                new Claim(Roles.SalesIdClaim, "s-1"), new Claim(Roles.SalesIdClaim, "s-2")]),
            ["a sales manager with a customer_id instead of a sales_id"] = w => Mint([new Claim(Roles.RoleClaim, Roles.Sales),
                new Claim(Roles.CustomerIdClaim, w.CustomerX)]),
            ["a sales manager whose sales_id is not an id"] = _ => Mint([new Claim(Roles.RoleClaim, Roles.Sales), new Claim(Roles.SalesIdClaim, "s 1\n")]),
            ["no role"] = w => Mint([new Claim(Roles.CustomerIdClaim, w.CustomerX)]),
            ["an unknown role"] = _ => Mint([new Claim(Roles.RoleClaim, "admin")]),
            ["a role in another case"] = _ => Mint([new Claim(Roles.RoleClaim, "OPS")]),
            ["an ops token living 100 years"] = _ => Mint([new Claim(Roles.RoleClaim, Roles.Ops)], TimeSpan.FromDays(36500)),
            ["an ops token living a day and a minute"] = _ => Mint([new Claim(Roles.RoleClaim, Roles.Ops)], TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1)),
        };

        /// <summary>Signed with the host's key, issued now (to the second, as JWT times are) and living <paramref name="lifetime"/>.</summary>
        public static string Mint(IEnumerable<Claim> claims, TimeSpan? lifetime = null)
        {
            var now = DateTime.UtcNow;
            now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
            return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = Roles.Issuer,
                Audience = Roles.Audience,
                Subject = new ClaimsIdentity([new Claim("sub", "someone"), .. claims]),
                IssuedAt = now,
                NotBefore = now,
                Expires = now + (lifetime ?? TimeSpan.FromHours(1)),
                SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(ApiFactory.SigningKey)), SecurityAlgorithms.HmacSha256),
            });
        }
    }

    /// <summary>Tokens that must not get in, each wrong in one way only.</summary>
    private static class BadToken
    {
        public static readonly Dictionary<string, Func<string>> Kinds = new()
        {
            ["signed with another key"] = () => Mint("another-key-that-is-long-enough-for-hs256-0123456789"),
            ["wrong issuer"] = () => Mint(ApiFactory.SigningKey, issuer: "someone-else"),
            ["wrong audience"] = () => Mint(ApiFactory.SigningKey, audience: "another-api"),
            ["expired"] = () => Mint(ApiFactory.SigningKey, expiredAgo: TimeSpan.FromHours(1)),
            ["unsigned (alg none)"] = () => Mint(key: null),
            ["not a JWT"] = () => "not-a-jwt",
            ["signature tampered"] = () => Tamper(Mint(ApiFactory.SigningKey)),
        };

        /// <summary>An ops token like <see cref="TokenIssuer"/> makes, with one thing changed.</summary>
        public static string Mint(string? key, string issuer = Roles.Issuer, string audience = Roles.Audience, TimeSpan? expiredAgo = null)
        {
            var now = DateTime.UtcNow;
            var end = expiredAgo is { } ago ? now - ago : now.AddHours(1);
            return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = issuer,
                Audience = audience,
                Subject = new ClaimsIdentity([new Claim("sub", "ops"), new Claim(Roles.RoleClaim, Roles.Ops)]),
                IssuedAt = end.AddHours(-2),
                NotBefore = end.AddHours(-2),
                Expires = end,
                SigningCredentials = key is null ? null
                    : new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
            });
        }

        private static string Tamper(string token)
        {
            var last = token[^2] == 'A' ? 'B' : 'A';
            return token[..^2] + last + token[^1];
        }
    }
}
