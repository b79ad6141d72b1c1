using System.Globalization;
using System.Net;
using Routing.Contracts.Orders;

namespace Routing.Tests.Api;

/// <summary>A host with small limits, so a burst meets them at once; its own collection (its own host).</summary>
public sealed class RateLimitedApiFactory : ApiFactory
{
    public const int CustomerBurst = 5;
    public const int CampaignBurst = 8;
    public const int FailedSignIns = 5;

    protected override IEnumerable<(string Name, string Value)> Settings =>
    [
        ("RateLimits:CustomerBurst", $"{CustomerBurst}"), ("RateLimits:CustomerPerSecond", "1"),
        ("RateLimits:CampaignBurst", $"{CampaignBurst}"), ("RateLimits:CampaignPerSecond", "1"),
        ("RateLimits:FailedSignInsPerMinute", $"{FailedSignIns}"),
    ];
}

[CollectionDefinition(Name)]
public sealed class RateLimitedApiCollection : ICollectionFixture<RateLimitedApiFactory>
{
    public const string Name = "rate-limited api";
}

/// <summary>OWASP API4/API6: no caller can flood placement or guess tokens; a refusal is 429 <c>rateLimited</c> with
/// Retry-After, changes nothing, and falls on the caller that caused it, never on its neighbours.</summary>
[Collection(RateLimitedApiCollection.Name)]
public sealed class RateLimitTests(RateLimitedApiFactory api)
{
    [Fact]
    public async Task A_burst_from_one_customer_gets_429_with_Retry_After_places_nothing_more_and_spares_other_customers()
    {
        var world = await World.CreateAsync(api);
        var keys = Enumerable.Range(0, 12).Select(i => $"burst-{world.Tag}-{i}").ToList();

        var replies = await Task.WhenAll(keys.Select(key => world.OrderAsync(world.CustomerX, 1, key)));

        var placed = replies.Count(r => r.Status == HttpStatusCode.Created);
        Assert.InRange(placed, 1, RateLimitedApiFactory.CustomerBurst);
        var refused = replies.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(keys.Count - placed, refused.Count);
        foreach (var reply in refused)
        {
            Assert.Equal("rateLimited", (string?)reply.ExpectProblem(HttpStatusCode.TooManyRequests)["code"]);
            Assert.True(int.Parse(Assert.Single(reply.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture) >= 1, reply.ToString());
        }
        // A refused order does not exist and holds nothing.
        foreach (var (key, reply) in keys.Zip(replies).Where(p => p.Second.Status == HttpStatusCode.TooManyRequests))
            (await world.Ops.GetJsonAsync($"/api/orders/{OrderIds.For(world.CustomerX, key)}")).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal(placed, await world.ReservedAsync());

        // Regular orders share the customer's allowance; another customer has its own.
        (await world.AsCustomer(world.CustomerX).PostJsonAsync("/api/orders", new { lines = new[] { new { sku = world.Sku, quantity = 1 } } },
            Guid.NewGuid().ToString())).ExpectProblem(HttpStatusCode.TooManyRequests);
        (await world.OrderAsync(world.CustomerY, 1)).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_campaign_takes_at_most_its_burst_of_placements_at_once_whoever_places_them()
    {
        var world = await World.CreateAsync(api);
        // Two customers, each within its own allowance, together past the campaign's.
        var requests = new[] { world.CustomerX, world.CustomerY }
            .SelectMany(c => Enumerable.Range(0, RateLimitedApiFactory.CustomerBurst).Select(_ => c)).ToList();

        var replies = await Task.WhenAll(requests.Select(c => world.OrderAsync(c, 1)));

        var placed = replies.Count(r => r.Status == HttpStatusCode.Created);
        Assert.InRange(placed, 1, RateLimitedApiFactory.CampaignBurst);
        Assert.All(replies.Where(r => r.Status != HttpStatusCode.Created),
            r => Assert.Equal("rateLimited", (string?)r.ExpectProblem(HttpStatusCode.TooManyRequests)["code"]));
        Assert.Equal(placed, await world.ReservedAsync());
    }

    [Fact]
    public async Task Failed_sign_ins_from_one_address_are_throttled_and_a_valid_token_still_gets_in()
    {
        var guesser = api.Client("eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoib3BzIn0.guessed-signature");

        var replies = new List<Reply>();
        for (var i = 0; i <= RateLimitedApiFactory.FailedSignIns; i++) replies.Add(await guesser.GetJsonAsync("/api/campaigns"));

        Assert.All(replies.Take(RateLimitedApiFactory.FailedSignIns), r => r.ExpectProblem(HttpStatusCode.Unauthorized));
        var throttled = replies[^1].ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.Equal("rateLimited", (string?)throttled["code"]);
        Assert.True(replies[^1].Headers.Contains("Retry-After"));
        (await api.Ops().GetJsonAsync("/api/campaigns")).Expect(HttpStatusCode.OK);
    }
}
