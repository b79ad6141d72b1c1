using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Routing.Api.Auth;

namespace Routing.Tests.Api;

/// <summary>Who may see and do what (PRODUCT.md "Invariants": a distributor sees only its own stock and alerts, a
/// customer only its own orders; the customer placing an order is the token's). Two distributors, two customers.</summary>
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
