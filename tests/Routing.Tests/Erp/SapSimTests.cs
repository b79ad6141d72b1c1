using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Routing.Api.Auth;
using Routing.Api.Demo;
using Routing.Api.Infrastructure;
using Routing.SapSim;
using Routing.Tests.Api;
using Xunit.Abstractions;

namespace Routing.Tests.Erp;

/// <summary>The SAP stand-in (<c>scripts/sap-sim.sh</c>, issue 14). Its <c>demo</c> runs against the built API started
/// as a newcomer starts it (Development, demo data, the stand-in minting its erp token with the API's own <c>token</c>
/// verb); its feed-following against a stand-in of the feed's contract (<c>GET /api/erp/events?after=&amp;limit=</c>), so
/// it holds before the feed lands and after.</summary>
public sealed class SapSimTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_demo_imports_with_the_bad_rows_rejected_and_reconciles_a_snapshot_with_a_shortfall_naming_the_order_at_risk()
    {
        await using var api = await ApiProcess.StartAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = null,
            [DefaultEnvironment.Variable] = null,
            ["Auth__SigningKey"] = null,
            ["Storage__Provider"] = "Memory",
            ["Demo__Seed"] = "true",
        });
        var development = new ConfigurationBuilder().AddJsonFile(Path.Combine(ApiProcess.ApiDirectory, "appsettings.Development.json")).Build();
        using var ops = Client(api.Url, TokenIssuer.Issue(development, Roles.Ops));
        using var customer = Client(api.Url, TokenIssuer.Issue(development, Roles.Customer, customerId: "c-0001"));
        // An order holds stock somewhere, so the demo's snapshot has a row below what is reserved.
        var order = (await customer.PostJsonAsync($"/api/campaigns/{DemoData.CampaignId}/orders", new { quantity = 4 }, "sap-sim-test"))
            .Expect(HttpStatusCode.Created);
        var orderId = (string)order["orderId"]!;
        var held = order["allocations"]!.AsArray()[0]!;

        var cursorFile = Path.Combine(Path.GetTempPath(), $"routing-sapsim-test-{Guid.NewGuid():N}.txt");
        try
        {
            var (code, text) = await RunAsync(["demo", "--url", api.Url.ToString(), "--run", "t1", "--cursor-file", cursorFile]);
            Assert.True(code == 0, text);

            // Each import completed, its good rows applied and its bad ones rejected by number and code.
            async Task<JsonNode> ImportAsync(string kind) => (await ops.GetJsonAsync($"/api/erp/imports/sap-{kind}-t1")).Expect(HttpStatusCode.OK);
            static (string, int, int, string) Outcome(JsonNode view) => ((string)view["status"]!, (int)view["total"]!, (int)view["applied"]!,
                string.Join(", ", view["rejected"]!.AsArray().Select(r => $"{(int)r!["row"]!} {(string)r["code"]!}")));
            Assert.Equal(("Completed", 5, 3, "4 validationFailed, 5 invalidSubstitute"), Outcome(await ImportAsync("products")));
            Assert.Equal(("Completed", 3, 2, "3 validationFailed"), Outcome(await ImportAsync("distributors")));
            Assert.Equal(("Completed", 3, 2, "3 unknownDistributor"), Outcome(await ImportAsync("customers")));
            Assert.Equal(("Completed", 9, 8, "9 unknownProduct"), Outcome(await ImportAsync("stock")));
            Assert.Contains("rejected row 5: invalidSubstitute", text);
            Assert.Contains("rejected row 9: unknownProduct", text);

            // The reconciliation: SAP's three differences posted, and none where the order holds stock beyond reserved.
            var snapshot = (await ops.GetJsonAsync("/api/erp/stock-snapshots/sap-snapshot-t1")).Expect(HttpStatusCode.OK);
            Assert.Equal(("Completed", 9, 9, 5), ((string)snapshot["status"]!, (int)snapshot["rows"]!, (int)snapshot["processed"]!, (int)snapshot["matched"]!));
            var differences = snapshot["differences"]!.AsArray().ToDictionary(d => ((string)d!["distributorId"]!, (string)d["sku"]!), d => d!);
            Assert.Equal(-3, (int)differences[("d-25", "SSP-50")]["applied"]!);
            Assert.Equal(12, (int)differences[("d-26", "ZNSO4-25")]["applied"]!);
            Assert.Equal(1, (int)differences[("d-26", "UREA-50")]["applied"]!);
            var shortfall = differences[((string)held["distributorId"]!, (string)held["sku"]!)];
            Assert.True((bool)shortfall["shortfall"]!);
            Assert.Contains(orderId, shortfall["ordersAtRisk"]!.AsArray().Select(o => (string?)o));
            Assert.Contains($"orders at risk: 1 ({orderId})", text);
            Assert.Contains("d-25         SSP-50         400    397          -3       -3  yes: alert raised", text);

            var stock = (await ops.GetJsonAsync("/api/distributors/d-25/inventory")).Expect(HttpStatusCode.OK).AsArray();
            Assert.Equal(397, (int)stock.Single(i => (string?)i!["sku"] == "SSP-50")!["onHand"]!);
            var reserved = (await ops.GetJsonAsync($"/api/distributors/{held["distributorId"]}/inventory")).Expect(HttpStatusCode.OK).AsArray()
                .Single(i => (string?)i!["sku"] == (string?)held["sku"])!;
            Assert.Equal((int)reserved["reserved"]!, (int)reserved["onHand"]!);

            // The feed: printed with its cursor saved, or (before it lands) said to be missing. Run again, it repeats nothing.
            if (!text.Contains(FeedFollower.NoFeed, StringComparison.Ordinal))
            {
                Assert.True(File.Exists(cursorFile), text);
                var (again, feed) = await RunAsync(["feed", "--url", api.Url.ToString(), "--cursor-file", cursorFile]);
                Assert.True(again == 0, feed);
                Assert.Contains("   0 events;", feed);
            }
        }
        finally
        {
            File.Delete(cursorFile);
        }
    }

    [Fact]
    public async Task Following_the_feed_prints_each_event_once_and_a_restart_carries_on_after_the_last_one_printed()
    {
        var feed = new FakeFeed(Enumerable.Range(1, 230).Select(FakeFeed.Event));
        var cursorFile = Path.Combine(Path.GetTempPath(), $"routing-sapsim-test-{Guid.NewGuid():N}.txt");
        try
        {
            string[] args = ["feed", "--url", "http://sap-sim.test", "--token", "t", "--cursor-file", cursorFile, "--limit", "100"];
            var (code, first) = await RunAsync(args, feed);
            Assert.Equal(0, code);
            Assert.Equal(Enumerable.Range(1, 230).Select(i => $"c{i:D6}"), Cursors(first));
            Assert.Equal(["", "c000100", "c000200"], feed.Afters);

            // Events that came meanwhile are the next run's, and only they: no gap, no repeat.
            feed.Add(Enumerable.Range(231, 5).Select(FakeFeed.Event));
            var (_, second) = await RunAsync(args, feed);
            Assert.Equal(Enumerable.Range(231, 5).Select(i => $"c{i:D6}"), Cursors(second));
            Assert.Contains("orderAllocated", second);
            Assert.Contains("orderId=o-000231", second);
            var (_, third) = await RunAsync(args, feed);
            Assert.Empty(Cursors(third));
        }
        finally
        {
            File.Delete(cursorFile);
        }
    }

    [Fact]
    public async Task An_API_without_the_feed_is_said_to_have_none_and_is_not_an_error()
    {
        var (code, text) = await RunAsync(["feed", "--url", "http://sap-sim.test", "--token", "t", "--cursor-file",
            Path.Combine(Path.GetTempPath(), $"routing-sapsim-test-{Guid.NewGuid():N}.txt")], new FakeFeed(null));
        Assert.Equal(0, code);
        Assert.Contains("this API has no ERP feed yet", text);
    }

    private static IEnumerable<string> Cursors(string text) =>
        text.Split('\n').Where(l => l.EndsWith(']')).Select(l => l[(l.LastIndexOf('[') + 1)..^1]);

    private async Task<(int Code, string Output)> RunAsync(string[] args, HttpMessageHandler? handler = null)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var code = await SapSimCli.RunAsync(args, stdout, stderr, timeout.Token, handler);
        output.WriteLine($"sap-sim {string.Join(' ', args)} → {code}\n{stdout}{stderr}");
        return (code, stdout.ToString() + stderr);
    }

    private static HttpClient Client(Uri url, string token)
    {
        var http = new HttpClient { BaseAddress = url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>The feed's contract served from a list: events after a cursor (opaque: here "c" and a number), at most
    /// <c>limit</c>, and <c>next</c>; or 404 for every request when there is no list (an API without the feed).</summary>
    private sealed class FakeFeed(IEnumerable<JsonObject>? events) : HttpMessageHandler
    {
        private readonly List<JsonObject>? _events = events?.ToList();

        public List<string> Afters { get; } = [];

        public static JsonObject Event(int i) => new()
        {
            ["cursor"] = $"c{i:D6}", ["type"] = i % 2 == 0 ? "stockAdjusted" : "orderAllocated",
            ["at"] = DateTimeOffset.UnixEpoch.AddSeconds(i).ToString("O"), ["orderId"] = $"o-{i:D6}",
        };

        public void Add(IEnumerable<JsonObject> more) => _events!.AddRange(more);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (_events is null || request.RequestUri!.AbsolutePath != "/api/erp/events")
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
            var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query);
            var after = query["after"] ?? "";
            Afters.Add(after);
            var page = _events.Where(e => string.CompareOrdinal((string)e["cursor"]!, after) > 0).Take(int.Parse(query["limit"]!, System.Globalization.CultureInfo.InvariantCulture))
                .Select(e => e.DeepClone()).ToList();
            var body = new JsonObject { ["events"] = new JsonArray([.. page]), ["next"] = page.Count > 0 ? (string)page[^1]!["cursor"]! : after };
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            });
        }
    }
}
