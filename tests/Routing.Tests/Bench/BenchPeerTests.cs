using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Routing.Bench;
using Routing.Bench.Targets;

namespace Routing.Tests.Bench;

/// <summary>The benchmark's peers, started as the driver starts them: a Redis peer on its own redis-server
/// (appendfsync always) and the ceiling behind the engine's token validation.</summary>
public sealed class BenchPeersFixture : IAsyncLifetime
{
    public const string SigningKey = "routing-bench-signing-key-0123456789-abcdefgh";
    private readonly List<RunningTarget> _targets = [];

    public HttpClient Redis { get; private set; } = null!;
    public HttpClient CeilingJwt { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var configuration = typeof(BenchPeersFixture).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var context = new TargetContext(BenchOptions.FindRepoRoot(AppContext.BaseDirectory), configuration, SigningKey,
            Path.Combine(Path.GetTempPath(), "routing-bench-logs"), TextWriter.Null);
        _targets.Add(await context.StartRedisPeerAsync("always"));
        Redis = new HttpClient { BaseAddress = _targets[^1].BaseUrl };
        _targets.Add(await context.StartBaselineAsync("ceiling-jwt", postgres: false));
        CeilingJwt = new HttpClient { BaseAddress = _targets[^1].BaseUrl };
    }

    public async Task DisposeAsync()
    {
        Redis?.Dispose();
        CeilingJwt?.Dispose();
        foreach (var t in _targets) await t.DisposeAsync();
    }
}

/// <summary>The Redis peer is a fair peer: it keeps the invariants the engine keeps (a retried order answers its first
/// result and takes stock once; no customer beyond the limit, no campaign beyond its cap; a refusal changes nothing) and
/// routes by the naive baseline's rule (the home distributor when it has the units, else the best-stocked one). The JWT
/// ceiling refuses what the engine refuses.</summary>
public sealed class BenchPeerTests(BenchPeersFixture peers) : IClassFixture<BenchPeersFixture>
{
    private const string Campaign = "gb1";

    // Cap 6, at most 4 per customer; d-home has 2 units, d-big 20, d-small 1.
    private async Task SetupAsync()
    {
        var setup = new
        {
            campaigns = new[] { new { id = Campaign, sku = "SKU1", cap = 6, perCustomerLimit = 4 } },
            stock = new[]
            {
                new { distributorId = "d-home", sku = "SKU1", onHand = 2 },
                new { distributorId = "d-big", sku = "SKU1", onHand = 20 },
                new { distributorId = "d-small", sku = "SKU1", onHand = 1 },
            },
            customers = new[]
            {
                new { id = "c1", homeDistributorId = "d-home" }, new { id = "c2", homeDistributorId = "d-home" },
                new { id = "c3", homeDistributorId = "d-small" },
            },
        };
        (await peers.Redis.PostAsJsonAsync("/bench/setup", setup)).EnsureSuccessStatusCode();
    }

    private static HttpRequestMessage Order(string? token, string? key, int quantity)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/campaigns/{Campaign}/orders") { Content = JsonContent.Create(new { quantity }) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PlaceAsync(string customer, string? key, int quantity)
    {
        using var response = await peers.Redis.SendAsync(Order(Jwt.Issue(BenchPeersFixture.SigningKey, "customer", customer), key, quantity));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<Dictionary<string, int>> ReservedAsync()
    {
        using var doc = JsonDocument.Parse(await peers.Redis.GetStringAsync("/bench/audit"));
        var reserved = doc.RootElement.GetProperty("stock").EnumerateArray()
            .ToDictionary(s => s.GetProperty("distributorId").GetString()!, s => s.GetProperty("reserved").GetInt32());
        reserved["sold"] = doc.RootElement.GetProperty("campaigns")[0].GetProperty("sold").GetInt32();
        return reserved;
    }

    private static string Distributor(JsonElement order) => order.GetProperty("allocations")[0].GetProperty("distributorId").GetString()!;

    [Fact]
    public async Task Redis_peer_answers_a_retried_order_with_its_first_result_and_takes_stock_once()
    {
        await SetupAsync();
        var first = await PlaceAsync("c1", "k1", 2);
        var retry = await PlaceAsync("c1", "k1", 1);

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal("Allocated", first.Body.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Created, retry.Status);
        Assert.Equal(first.Body.GetRawText(), retry.Body.GetRawText());
        var reserved = await ReservedAsync();
        Assert.Equal(2, reserved["d-home"]);
        Assert.Equal(2, reserved["sold"]);
    }

    [Fact]
    public async Task Redis_peer_takes_from_the_home_distributor_then_from_the_best_stocked_one()
    {
        await SetupAsync();
        var c1 = await PlaceAsync("c1", "k1", 2);
        var c2 = await PlaceAsync("c2", "k1", 2);

        Assert.Equal("d-home", Distributor(c1.Body));
        Assert.Equal("d-big", Distributor(c2.Body));
        var reserved = await ReservedAsync();
        Assert.Equal((2, 2, 0), (reserved["d-home"], reserved["d-big"], reserved["d-small"]));
    }

    [Fact]
    public async Task Redis_peer_refuses_beyond_the_customer_limit_and_the_cap_and_a_refusal_changes_nothing()
    {
        await SetupAsync();
        Assert.Equal(HttpStatusCode.Created, (await PlaceAsync("c1", "k1", 2)).Status);
        Assert.Equal(HttpStatusCode.Created, (await PlaceAsync("c2", "k1", 4)).Status);
        var before = await ReservedAsync();

        var overLimit = await PlaceAsync("c1", "k2", 3);
        var overCap = await PlaceAsync("c3", "k1", 1);
        var badQuantity = await PlaceAsync("c3", "k2", 0);
        var noKey = await PlaceAsync("c3", null, 1);

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "limitExceeded"), (overLimit.Status, overLimit.Body.GetProperty("code").GetString()));
        Assert.Equal((HttpStatusCode.Conflict, "soldOut"), (overCap.Status, overCap.Body.GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, badQuantity.Status);
        Assert.Equal(HttpStatusCode.BadRequest, noKey.Status);
        Assert.Equal(before, await ReservedAsync());
        Assert.Equal(6, before["sold"]);
    }

    [Fact]
    public async Task Jwt_ceiling_takes_a_customer_token_and_refuses_what_the_engine_refuses()
    {
        var key = BenchPeersFixture.SigningKey;
        async Task<HttpStatusCode> Send(string? token)
        {
            using var response = await peers.CeilingJwt.SendAsync(Order(token, "k1", 1));
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Created, await Send(Jwt.Issue(key, "customer", "c1")));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send(null));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send(Jwt.Issue("another-signing-key-0123456789-abcdefghij", "customer", "c1")));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send(Jwt.Issue(key, "customer")));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send(Jwt.Issue(key, "customer", "c1", TimeSpan.FromHours(48))));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send(Jwt.Issue(key, "customer", "not an id")));
        Assert.Equal(HttpStatusCode.Forbidden, await Send(Jwt.Issue(key, "ops")));
    }
}
