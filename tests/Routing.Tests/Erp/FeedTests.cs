using System.Net;
using System.Text.Json.Nodes;
using Routing.Api.Auth;
using Routing.Tests.Api;
using Routing.Tests.Stock;

namespace Routing.Tests.Erp;

/// <summary>The outbound ERP feed (OPERATIONS.md "ERP", issue 14): <c>GET /api/erp/events?after=&amp;limit=</c> answers
/// every order and stock change SAP needs once, in order, from a cursor; the same cursor answers the same page; only the
/// ERP reads it. The host is shared, so a test reads from the end of the feed as it found it and keeps its world's events.</summary>
[Collection(ApiCollection.Name)]
public sealed class FeedTests(ApiFactory api)
{
    [Fact]
    public Task Every_order_and_stock_change_appears_once_in_order_with_what_SAP_needs() => EveryChangeAsync(api);

    /// <summary>Also run on PostgreSQL (<c>Postgres/ErpFeedOnPostgresTests</c>).</summary>
    internal static async Task EveryChangeAsync(ApiFactory api)
    {
        var world = await World.CreateAsync(api, stockA: 100, stockB: 100);
        using var erp = api.Client(api.Token(Roles.Erp));
        var campaign = await CampaignWithPaymentAsync(world);
        var (a, b) = (world.DistributorA, world.DistributorB);
        var start = await StartAfterAsync(world, erp);

        // Stock set by hand, then an order paid, confirmed and shipped, and a paid order cancelled.
        await world.SetStockAsync(a, 120, threshold: 10);
        var shipped = await PlaceAsync(world, campaign, world.CustomerX, 3);
        Assert.Equal(a, (string?)shipped["allocations"]![0]!["distributorId"]);
        var shippedId = (string)shipped["orderId"]!;
        (await erp.PostJsonAsync($"/api/orders/{shippedId}/payment", new { paymentId = $"pay-{world.Tag}-1", amount = 354m })).Expect(HttpStatusCode.OK);
        await world.ShipAsync(shippedId);
        // Steps repeated change nothing, and so emit nothing.
        (await world.Ops.PostJsonAsync($"/api/orders/{shippedId}/ship", null)).Expect(HttpStatusCode.OK);
        (await erp.PostJsonAsync($"/api/orders/{shippedId}/payment", new { paymentId = $"pay-{world.Tag}-1", amount = 354m })).Expect(HttpStatusCode.OK);

        var cancelledId = (string)(await PlaceAsync(world, campaign, world.CustomerX, 2))["orderId"]!;
        (await erp.PostJsonAsync($"/api/orders/{cancelledId}/payment", new { paymentId = $"pay-{world.Tag}-2", amount = 236m })).Expect(HttpStatusCode.OK);
        (await world.Ops.PostJsonAsync($"/api/orders/{cancelledId}/cancel", new { reason = "the customer called" })).Expect(HttpStatusCode.OK);
        (await world.Ops.PostJsonAsync($"/api/orders/{cancelledId}/cancel", new { reason = "again" })).Expect(HttpStatusCode.OK);

        // A pre-order is allocated when it is confirmed, not when it is taken.
        var preOrderId = (string)(await world.Ops.PostJsonAsync("/api/preorders",
            new { customerId = world.CustomerY, lines = new[] { new { sku = world.Sku, quantity = 4 } }, holdSeconds = 3600 }, StockApi.Key()))
            .Expect(HttpStatusCode.Created)["orderId"]!;
        (await world.Ops.PostJsonAsync($"/api/preorders/{preOrderId}/confirm", null)).Expect(HttpStatusCode.OK);

        // A transfer A → B, dispatched and received; a return of the shipped order, one unit of it damaged.
        var transferId = (string)(await world.Ops.PostJsonAsync("/api/transfers",
            new { fromDistributorId = a, toDistributorId = b, sku = world.Sku, quantity = 5 }, StockApi.Key())).Expect(HttpStatusCode.Created)["transferId"]!;
        (await world.Ops.PostJsonAsync($"/api/transfers/{transferId}/dispatch", null)).Expect(HttpStatusCode.OK);
        (await world.Ops.PostJsonAsync($"/api/transfers/{transferId}/receive", new { receivedQuantity = 5 })).Expect(HttpStatusCode.OK);
        var returnId = (string)(await world.AsCustomer(world.CustomerX).PostJsonAsync($"/api/orders/{shippedId}/returns",
            new { lines = new[] { new { sku = world.Sku, quantity = 2 } }, reason = "caked in the bag", exchange = false }, StockApi.Key()))
            .Expect(HttpStatusCode.Created)["returnId"]!;
        (await world.Ops.PostJsonAsync($"/api/returns/{returnId}/receive",
            new { lines = new[] { new { sku = world.Sku, resellable = 1, damaged = 1 } } })).Expect(HttpStatusCode.OK);

        // The ledger is appended behind the stock's writes: its events arrive once it has caught up.
        var orderIds = new[] { shippedId, cancelledId, preOrderId };
        var mine = await Eventually.UntilAsync(async () => Of(world, orderIds, await ReadAllAsync(erp, start)),
            events => events.Count(e => e["stock"] is JsonObject) >= 5, "the world's stock events in the feed");

        AssertOrderEvents(mine, shippedId, "orderAllocated", "orderPaid", "orderConfirmed", "orderShipped");
        AssertOrderEvents(mine, cancelledId, "orderAllocated", "orderPaid", "orderCancelled", "refundDue");
        AssertOrderEvents(mine, preOrderId, "orderAllocated");
        var allocated = mine.First(e => (string?)e["order"]?["orderId"] == shippedId)["order"]!;
        Assert.Equal((world.CustomerX, campaign, "Allocated", 118m, 354m), ((string?)allocated["customerId"], (string?)allocated["campaignId"],
            (string?)allocated["status"], (decimal)allocated["unitPrice"]!, (decimal)allocated["total"]!));
        Assert.Equal((a, world.Sku, 3), ((string?)allocated["allocations"]![0]!["distributorId"], (string?)allocated["allocations"]![0]!["sku"],
            (int)allocated["allocations"]![0]!["quantity"]!));
        var paid = mine.Single(e => (string?)e["type"] == "orderPaid" && (string?)e["order"]!["orderId"] == shippedId)["order"]!["payment"]!;
        Assert.Equal(("Paid", 354m, $"pay-{world.Tag}-1"), ((string?)paid["status"], (decimal)paid["amount"]!, (string?)paid["paymentId"]));
        var cancelled = mine.Single(e => (string?)e["type"] == "orderCancelled")["order"]!;
        Assert.Equal(("Cancelled", "byOps"), ((string?)cancelled["status"], (string?)cancelled["cancelReason"]));
        var refund = mine.Single(e => (string?)e["type"] == "refundDue")["order"]!["payment"]!;
        Assert.Equal(("RefundDue", 236m), ((string?)refund["status"], (decimal)refund["amount"]!));

        // Each distributor's stock events follow its ledger: (type, kind, change of on hand, on hand after, operation).
        List<(string?, string?, int, int, string?)> atA =
        [
            ("stockAdjusted", "Receive", 20, 120, null),
            ("transferDispatched", "TransferOut", -5, 112, transferId),
            ("returnReceived", "Return", 2, 114, returnId),
            ("stockAdjusted", "WriteOff", -1, 113, returnId),
        ];
        Assert.Equal(atA, StockEvents(mine, a));
        List<(string?, string?, int, int, string?)> atB = [("transferReceived", "TransferIn", 5, 105, transferId)];
        Assert.Equal(atB, StockEvents(mine, b));

        // Once each, in one order: cursors only grow, every event has its time.
        var cursors = mine.Select(e => (string)e["cursor"]!).ToList();
        Assert.Equal(cursors.Count, cursors.Distinct().Count());
        Assert.All(mine, e => Assert.NotNull((DateTimeOffset?)e["at"]));
    }

    [Fact]
    public async Task Paging_by_next_gives_the_events_of_one_big_page_and_a_cursor_always_gives_the_same_page()
    {
        var world = await World.CreateAsync(api, stockA: 100, stockB: 100);
        using var erp = api.Client(api.Token(Roles.Erp));
        var start = await StartAfterAsync(world, erp);
        for (var i = 0; i < 5; i++)
            (await world.OrderAsync(i % 2 == 0 ? world.CustomerX : world.CustomerY, 1 + i)).Expect(HttpStatusCode.Created);
        await world.SetStockAsync(world.DistributorB, 150, threshold: 10);
        await Eventually.UntilAsync(async () => await ReadAllAsync(erp, start), events => events.Count >= 6, "the orders and the stock change in the feed");

        // Small pages, each from the last one's next, until an empty page (whose next is the after it was given).
        var walked = new List<JsonNode>();
        var pages = new List<(string After, string Text)>();
        var after = start;
        while (true)
        {
            var reply = await erp.GetJsonAsync($"/api/erp/events?after={after}&limit=2");
            var page = reply.Expect(HttpStatusCode.OK);
            var events = page["events"]!.AsArray();
            if (events.Count == 0)
            {
                Assert.Equal(after, (string?)page["next"]);
                break;
            }
            Assert.InRange(events.Count, 1, 2);
            Assert.Equal((string?)events[^1]!["cursor"], (string?)page["next"]);
            pages.Add((after, events.ToJsonString()));
            walked.AddRange(events.Select(e => e!));
            after = (string)page["next"]!;
        }
        Assert.True(walked.Count >= 6, $"walked {walked.Count} events");

        var whole = (await erp.GetJsonAsync($"/api/erp/events?after={start}&limit={walked.Count}")).Expect(HttpStatusCode.OK);
        Assert.Equal(new JsonArray([.. walked.Select(e => e.DeepClone())]).ToJsonString(), whole["events"]!.ToJsonString());
        Assert.Equal(after, (string?)whole["next"]);
        foreach (var (pageAfter, text) in pages)
            Assert.Equal(text, (await erp.GetJsonAsync($"/api/erp/events?after={pageAfter}&limit=2")).Expect(HttpStatusCode.OK)["events"]!.ToJsonString());

        // No after is the beginning, as is the cursor before every event; the default page is 100 events.
        var first = (await erp.GetJsonAsync("/api/erp/events?limit=3")).Expect(HttpStatusCode.OK);
        Assert.Equal(3, first["events"]!.AsArray().Count);
        Assert.Equal(first.ToJsonString(), (await erp.GetJsonAsync("/api/erp/events?after=0-0&limit=3")).Expect(HttpStatusCode.OK).ToJsonString());
        Assert.InRange((await erp.GetJsonAsync("/api/erp/events")).Expect(HttpStatusCode.OK)["events"]!.AsArray().Count, 6, 100);
    }

    [Fact]
    public async Task Only_the_erp_reads_the_feed()
    {
        var world = await World.CreateAsync(api);
        (await world.Ops.GetJsonAsync("/api/erp/events")).ExpectProblem(HttpStatusCode.Forbidden);
        (await world.AsDistributor(world.DistributorA).GetJsonAsync("/api/erp/events")).ExpectProblem(HttpStatusCode.Forbidden);
        (await world.AsCustomer(world.CustomerX).GetJsonAsync("/api/erp/events")).ExpectProblem(HttpStatusCode.Forbidden);
        (await world.AsSales(world.SalesManagerX).GetJsonAsync("/api/erp/events")).ExpectProblem(HttpStatusCode.Forbidden);
        (await api.Client(token: null).GetJsonAsync("/api/erp/events")).ExpectProblem(HttpStatusCode.Unauthorized);
        (await api.Client(api.Token(Roles.Erp)).GetJsonAsync("/api/erp/events?limit=1")).Expect(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("limit=0", "badLimit")]
    [InlineData("limit=1001", "badLimit")]
    [InlineData("limit=-5", "badLimit")]
    [InlineData("limit=many", "invalidParameter")]
    [InlineData("after=", "invalidCursor")]
    [InlineData("after=abc", "invalidCursor")]
    [InlineData("after=12", "invalidCursor")]
    [InlineData("after=12-", "invalidCursor")]
    [InlineData("after=-12", "invalidCursor")]
    [InlineData("after=1-2-3", "invalidCursor")]
    [InlineData("after=%2B1-2", "invalidCursor")]
    [InlineData("after=99999999999999999999-1", "invalidCursor")]
    public async Task A_bad_limit_or_cursor_is_refused_with_its_code(string query, string code)
    {
        using var erp = api.Client(api.Token(Roles.Erp));
        Assert.Equal(code, (string?)(await erp.GetJsonAsync($"/api/erp/events?{query}")).ExpectProblem(HttpStatusCode.BadRequest)["code"]);
    }

    /// <summary>A group-buy of the world's like its own, whose orders owe their total within an hour.</summary>
    private static async Task<string> CampaignWithPaymentAsync(World world)
    {
        var body = world.CampaignBody();
        var campaign = $"{world.Campaign}-pay";
        body["id"] = campaign;
        body["paymentWindowSeconds"] = 3600;
        (await world.Ops.PostJsonAsync("/api/campaigns", body)).Expect(HttpStatusCode.Created);
        return campaign;
    }

    private static async Task<JsonNode> PlaceAsync(World world, string campaign, string customer, int quantity) =>
        (await world.AsCustomer(customer).PostJsonAsync($"/api/campaigns/{campaign}/orders", new { quantity }, StockApi.Key()))
            .Expect(HttpStatusCode.Created);

    /// <summary>Where a test's events start: the feed's end once the world's stock as created is in the ledger (appended
    /// behind the distributors' writes), so its events are the test's own.</summary>
    private static async Task<string> StartAfterAsync(World world, HttpClient erp)
    {
        await world.SettledLedgerAsync(world.DistributorA);
        await world.SettledLedgerAsync(world.DistributorB);
        return await EndAsync(erp);
    }

    /// <summary>The feed's end as it stands: the cursor its last event has (walked in the largest pages).</summary>
    internal static async Task<string> EndAsync(HttpClient erp)
    {
        var after = "0-0";
        while (true)
        {
            var page = (await erp.GetJsonAsync($"/api/erp/events?after={after}&limit=1000")).Expect(HttpStatusCode.OK);
            if (page["events"]!.AsArray().Count == 0) return after;
            after = (string)page["next"]!;
        }
    }

    /// <summary>Every event after <paramref name="after"/>, following next until an empty page.</summary>
    internal static async Task<List<JsonNode>> ReadAllAsync(HttpClient erp, string after)
    {
        var events = new List<JsonNode>();
        while (true)
        {
            var page = (await erp.GetJsonAsync($"/api/erp/events?after={after}&limit=1000")).Expect(HttpStatusCode.OK);
            var items = page["events"]!.AsArray();
            if (items.Count == 0) return events;
            events.AddRange(items.Select(e => e!));
            after = (string)page["next"]!;
        }
    }

    /// <summary>The events of a world: of its orders, and of its SKU at its distributors.</summary>
    private static List<JsonNode> Of(World world, IEnumerable<string> orderIds, List<JsonNode> events) =>
        [.. events.Where(e => orderIds.Contains((string?)e["order"]?["orderId"])
            || (string?)e["stock"]?["sku"] == world.Sku && (string?)e["stock"]?["distributorId"] is { } d && (d == world.DistributorA || d == world.DistributorB))];

    private static void AssertOrderEvents(List<JsonNode> events, string orderId, params string[] types) =>
        Assert.Equal(types, events.Where(e => (string?)e["order"]?["orderId"] == orderId).Select(e => (string?)e["type"]));

    private static List<(string?, string?, int, int, string?)> StockEvents(List<JsonNode> events, string distributorId) =>
        [.. events.Where(e => (string?)e["stock"]?["distributorId"] == distributorId)
            .Select(e => ((string?)e["type"], (string?)e["stock"]!["kind"], (int)e["stock"]!["quantity"]!, (int)e["stock"]!["onHandAfter"]!,
                (string?)e["stock"]!["operationId"]))];
}
