using System.Net;
using System.Text.Json.Nodes;
using Routing.Tests.Api;

namespace Routing.Tests.Stock;

/// <summary>Returns and exchanges (OPERATIONS.md "Stock operations", 退换货): asked for against a shipped or completed
/// order, never more than it shipped less what is already on its way back (racing requests included); received by the
/// order's distributor once however often it is sent: resellable units back on hand (ledger Return), damaged written off
/// (ledger WriteOff); an exchange routes a replacement order; each party sees only its own.</summary>
[Collection(ApiCollection.Name)]
public sealed class ReturnTests(ApiFactory api)
{
    private static object Lines(World world, int quantity, bool exchange = false, string reason = "caked in the bag") =>
        new { lines = new[] { new { sku = world.Sku, quantity } }, reason, exchange };

    private static Task<Reply> AskAsync(HttpClient client, string orderId, object body, string? key = null) =>
        client.PostJsonAsync($"/api/orders/{orderId}/returns", body, key ?? StockApi.Key());

    private static async Task<string> AskedAsync(World world, string orderId, int quantity, bool exchange = false)
    {
        var reply = (await AskAsync(world.AsCustomer(world.CustomerX), orderId, Lines(world, quantity, exchange))).Expect(HttpStatusCode.Created);
        Assert.Equal(("Requested", orderId), ((string?)reply["status"], (string?)reply["orderId"]));
        return (string)reply["returnId"]!;
    }

    private static object Receipt(World world, int resellable, int damaged) => new { lines = new[] { new { sku = world.Sku, resellable, damaged } } };

    private static async Task<List<JsonNode>> ListAsync(HttpClient client, string query = "") =>
        [.. (await client.GetJsonAsync($"/api/returns?pageSize=500{query}")).Expect(HttpStatusCode.OK).AsArray().Select(r => r!)];

    private static async Task<List<string>> IdsAsync(HttpClient client, string query = "") =>
        [.. (await ListAsync(client, query)).Select(r => (string)r["returnId"]!)];

    [Fact]
    public async Task Only_a_shipped_or_completed_order_can_come_back()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 50);
        var customer = world.AsCustomer(world.CustomerX);
        var allocated = (string)(await world.OrderAsync(world.CustomerX, 3)).Expect(HttpStatusCode.Created)["orderId"]!;
        Assert.Equal("notShipped", (await AskAsync(customer, allocated, Lines(world, 1))).Code(HttpStatusCode.Conflict));
        (await world.Ops.PostJsonAsync($"/api/orders/{allocated}/confirm", null)).Expect(HttpStatusCode.OK);
        Assert.Equal("notShipped", (await AskAsync(world.Ops, allocated, Lines(world, 1))).Code(HttpStatusCode.Conflict));
        var cancelled = (string)(await world.OrderAsync(world.CustomerX, 2)).Expect(HttpStatusCode.Created)["orderId"]!;
        (await world.Ops.PostJsonAsync($"/api/orders/{cancelled}/cancel", new { reason = "test" })).Expect(HttpStatusCode.OK);
        Assert.Equal("notShipped", (await AskAsync(customer, cancelled, Lines(world, 1))).Code(HttpStatusCode.Conflict));
        Assert.Empty(await ListAsync(world.Ops, $"&orderId={allocated}"));

        (await world.Ops.PostJsonAsync($"/api/orders/{allocated}/ship", null)).Expect(HttpStatusCode.OK);
        (await AskAsync(customer, allocated, Lines(world, 1))).Expect(HttpStatusCode.Created);
        (await world.Ops.PostJsonAsync($"/api/orders/{allocated}/complete", null)).Expect(HttpStatusCode.OK);
        (await AskAsync(world.Ops, allocated, Lines(world, 2))).Expect(HttpStatusCode.Created);
        Assert.Equal(2, (await ListAsync(world.Ops, $"&orderId={allocated}")).Count);
        (await world.Ops.PostJsonAsync("/api/orders/o-none/returns", Lines(world, 1), StockApi.Key())).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal("idempotencyKeyRequired", (await world.Ops.PostJsonAsync($"/api/orders/{allocated}/returns", Lines(world, 1), null)).Code(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task No_more_comes_back_than_was_shipped_less_what_is_already_returned()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 50);
        var (orderId, _) = await world.ShippedOrderAsync(world.CustomerX, 10);
        var customer = world.AsCustomer(world.CustomerX);

        Assert.Equal("returnExceedsShipped", (await AskAsync(customer, orderId, Lines(world, 11))).Code(HttpStatusCode.UnprocessableEntity));
        var key = StockApi.Key();
        var six = (string)(await AskAsync(customer, orderId, Lines(world, 6), key)).Expect(HttpStatusCode.Created)["returnId"]!;
        // Together with the first, 5 more would be 11.
        Assert.Equal("returnExceedsShipped", (await AskAsync(customer, orderId, Lines(world, 5))).Code(HttpStatusCode.UnprocessableEntity));
        // The first again is a replay, not a second return; its key with another body is refused.
        var replay = await AskAsync(customer, orderId, Lines(world, 6), key);
        Assert.Equal(six, (string)replay.Expect(HttpStatusCode.Created)["returnId"]!);
        Assert.True(replay.Replayed(), $"a replay says so: {replay}");
        Assert.Equal("idempotencyKeyReused", (await AskAsync(customer, orderId, Lines(world, 4), key)).Code(HttpStatusCode.UnprocessableEntity));

        var four = (string)(await AskAsync(world.Ops, orderId, Lines(world, 4))).Expect(HttpStatusCode.Created)["returnId"]!;
        Assert.Equal("returnExceedsShipped", (await AskAsync(customer, orderId, Lines(world, 1))).Code(HttpStatusCode.UnprocessableEntity));
        // A SKU the order never shipped cannot come back at all.
        Assert.Equal("returnExceedsShipped", (await AskAsync(world.Ops, orderId,
            new { lines = new[] { new { sku = $"UREA-{world.Tag}-40", quantity = 1 } }, reason = "x" })).Code(HttpStatusCode.UnprocessableEntity));
        Assert.Equal("duplicateSku", (await AskAsync(world.Ops, orderId,
            new { lines = new[] { new { sku = world.Sku, quantity = 1 }, new { sku = world.Sku, quantity = 1 } }, reason = "x" })).Code(HttpStatusCode.UnprocessableEntity));

        var all = await ListAsync(world.Ops, $"&orderId={orderId}");
        Assert.Equal(new[] { four, six }.Order(), all.Select(r => (string)r["returnId"]!).Order());
        Assert.Equal(10, all.Sum(r => r["lines"]!.AsArray().Sum(l => (int)l!["quantity"]!)));
    }

    [Fact]
    public Task Concurrent_return_requests_never_return_more_than_was_shipped() => RequestRaceAsync(api);

    internal static async Task RequestRaceAsync(ApiFactory api)
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 50);
        const int shipped = 12;
        var (orderId, _) = await world.ShippedOrderAsync(world.CustomerX, shipped);
        var customer = world.AsCustomer(world.CustomerX);
        var asked = Enumerable.Range(0, 30).Select(i => 1 + (i % 3)).ToList(); // 60 units asked back of 12
        var replies = await Task.WhenAll(asked.Select((quantity, i) => AskAsync(i % 2 == 0 ? customer : world.Ops, orderId, Lines(world, quantity))));

        var accepted = 0;
        var refused = new List<int>();
        for (var i = 0; i < replies.Length; i++)
        {
            if (replies[i].Status == HttpStatusCode.Created)
            {
                Assert.Equal(asked[i], (int)replies[i].Json["lines"]![0]!["quantity"]!);
                accepted += asked[i];
            }
            else
            {
                Assert.Equal("returnExceedsShipped", replies[i].Code(HttpStatusCode.UnprocessableEntity));
                refused.Add(asked[i]);
            }
        }
        Assert.True(accepted <= shipped, $"{accepted} units accepted back of {shipped} shipped");
        // Nothing was refused while it still fitted: what is left now is less than any refused request asked.
        foreach (var quantity in refused) Assert.True(shipped - accepted < quantity, $"{quantity} refused with {shipped - accepted} still returnable");
        var recorded = await ListAsync(world.Ops, $"&orderId={orderId}");
        Assert.Equal(accepted, recorded.Sum(r => (int)r["lines"]![0]!["quantity"]!));
        Assert.Equal(replies.Count(r => r.Status == HttpStatusCode.Created), recorded.Count);
    }

    [Fact]
    public async Task A_receipt_puts_resellable_units_back_on_hand_and_writes_off_the_damaged_ones_once()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 50);
        var (orderId, distributor) = await world.ShippedOrderAsync(world.CustomerX, 10);
        var before = await world.LevelsAsync(distributor);
        Assert.Equal(40, before.OnHand);
        var id = await AskedAsync(world, orderId, 5);
        Assert.Equal(before, await world.LevelsAsync(distributor)); // asked for is not yet back

        var received = (await world.AsDistributor(distributor).PostJsonAsync($"/api/returns/{id}/receive", Receipt(world, 3, 2))).Expect(HttpStatusCode.OK);
        Assert.Equal("Received", (string?)received["status"]);
        Assert.Null((string?)received["replacementOrderId"]);
        Assert.Equal((43, 0), ((await world.LevelsAsync(distributor)).OnHand, (await world.LevelsAsync(distributor)).Reserved));

        var rows = (await world.RowsOfAsync(distributor, id, 2)).OrderBy(r => (long)r["seq"]!).ToList();
        Assert.Equal(new[] { ("Return", 5), ("WriteOff", -2) }, rows.Select(r => ((string)r["kind"]!, (int)r["quantity"]!)));
        Assert.Equal((40, 43), ((int)rows[0]["onHandBefore"]!, (int)rows[^1]["onHandAfter"]!));

        // The same receipt again (a retry) counts once.
        Assert.Equal("Received", (string?)(await world.Ops.PostJsonAsync($"/api/returns/{id}/receive", Receipt(world, 3, 2))).Expect(HttpStatusCode.OK)["status"]);
        Assert.Equal(43, (await world.LevelsAsync(distributor)).OnHand);
        Assert.Equal(2, (await world.SettledLedgerAsync(distributor)).Count(r => (string?)r["orderId"] == id));
        var summary = await world.SummaryAsync(distributor, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal((5, 2, 43), ((int)summary["returned"]!, (int)summary["writtenOff"]!, (int)summary["closing"]!));
        Assert.Equal((int)summary["closing"]!, StockApi.Balance(summary));
        Assert.Equal(["Received"], (await ListAsync(world.Ops, $"&orderId={orderId}")).Select(r => (string?)r["status"]));
    }

    [Fact]
    public Task A_return_received_concurrently_counts_once() => ReceiveRaceAsync(api);

    internal static async Task ReceiveRaceAsync(ApiFactory api)
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 50);
        var (orderId, distributor) = await world.ShippedOrderAsync(world.CustomerX, 10);
        var same = await AskedAsync(world, orderId, 4);
        var differing = await AskedAsync(world, orderId, 4);
        var receiver = world.AsDistributor(distributor);

        // The same receipt many times at once.
        var replies = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            (i % 2 == 0 ? receiver : world.Ops).PostJsonAsync($"/api/returns/{same}/receive", Receipt(world, 3, 1))));
        Assert.All(replies, r => Assert.Equal("Received", (string?)r.Expect(HttpStatusCode.OK)["status"]));
        Assert.Equal(43, (await world.LevelsAsync(distributor)).OnHand);

        // Different receipts at once: one is the receipt, the others are refused unless they are the same one.
        var receipts = Enumerable.Range(0, 12).Select(i => (Resellable: i % 4, Damaged: i % 4 == 3 ? 1 : 0)).ToList();
        replies = await Task.WhenAll(receipts.Select(r => receiver.PostJsonAsync($"/api/returns/{differing}/receive", Receipt(world, r.Resellable, r.Damaged))));
        var stored = (await world.Ops.GetJsonAsync($"/api/returns/{differing}")).Expect(HttpStatusCode.OK);
        var winner = stored["received"]!.AsArray().Single()!;
        var (resellable, damaged) = ((int)winner["resellable"]!, (int)winner["damaged"]!);
        for (var i = 0; i < replies.Length; i++)
        {
            if (receipts[i] == (resellable, damaged)) replies[i].Expect(HttpStatusCode.OK);
            else Assert.Equal("notAllowed", replies[i].Code(HttpStatusCode.Conflict));
        }
        Assert.Equal(43 + resellable, (await world.LevelsAsync(distributor)).OnHand);

        var ledger = await world.SettledLedgerAsync(distributor);
        Assert.Equal(new[] { ("Return", 4), ("WriteOff", -1) }, ledger.Where(r => (string?)r["orderId"] == same).OrderBy(r => (long)r["seq"]!)
            .Select(r => ((string)r["kind"]!, (int)r["quantity"]!)));
        Assert.Equal(resellable + damaged, ledger.Where(r => (string?)r["orderId"] == differing && (string?)r["kind"] == "Return").Sum(r => (int)r["quantity"]!));
        Assert.Equal(-damaged, ledger.Where(r => (string?)r["orderId"] == differing && (string?)r["kind"] == "WriteOff").Sum(r => (int)r["quantity"]!));
    }

    [Fact]
    public async Task A_receipt_beyond_the_return_is_refused_and_a_second_different_receipt_is_too()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 50);
        var (orderId, distributor) = await world.ShippedOrderAsync(world.CustomerX, 10);
        var id = await AskedAsync(world, orderId, 4);
        var receiver = world.AsDistributor(distributor);
        var onHand = (await world.LevelsAsync(distributor)).OnHand;

        Assert.Equal("receiptExceedsReturn", (await receiver.PostJsonAsync($"/api/returns/{id}/receive",
            new { lines = new[] { new { sku = $"UREA-{world.Tag}-40", resellable = 1, damaged = 0 } } })).Code(HttpStatusCode.UnprocessableEntity));
        Assert.Equal("receiptExceedsReturn", (await receiver.PostJsonAsync($"/api/returns/{id}/receive", Receipt(world, 3, 2))).Code(HttpStatusCode.UnprocessableEntity));
        Assert.Equal("receiptExceedsReturn", (await receiver.PostJsonAsync($"/api/returns/{id}/receive", Receipt(world, 5, 0))).Code(HttpStatusCode.UnprocessableEntity));
        Assert.Equal("duplicateSku", (await receiver.PostJsonAsync($"/api/returns/{id}/receive",
            new { lines = new[] { new { sku = world.Sku, resellable = 1, damaged = 0 }, new { sku = world.Sku, resellable = 1, damaged = 0 } } }))
            .Code(HttpStatusCode.UnprocessableEntity));
        (await receiver.PostJsonAsync($"/api/returns/{id}/receive", Receipt(world, -1, 0))).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Equal("Requested", (string?)(await world.Ops.GetJsonAsync($"/api/returns/{id}")).Expect(HttpStatusCode.OK)["status"]);
        Assert.Equal(onHand, (await world.LevelsAsync(distributor)).OnHand);

        // Fewer than asked is a receipt; a different one afterwards is refused, the same one is harmless.
        (await receiver.PostJsonAsync($"/api/returns/{id}/receive", Receipt(world, 2, 1))).Expect(HttpStatusCode.OK);
        Assert.Equal("notAllowed", (await receiver.PostJsonAsync($"/api/returns/{id}/receive", Receipt(world, 3, 1))).Code(HttpStatusCode.Conflict));
        Assert.Equal("notAllowed", (await world.Ops.PostJsonAsync($"/api/returns/{id}/receive", Receipt(world, 1, 1))).Code(HttpStatusCode.Conflict));
        (await receiver.PostJsonAsync($"/api/returns/{id}/receive", Receipt(world, 2, 1))).Expect(HttpStatusCode.OK);
        Assert.Equal(onHand + 2, (await world.LevelsAsync(distributor)).OnHand);
        (await receiver.PostJsonAsync($"/api/returns/r-none/receive", Receipt(world, 1, 0))).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_exchange_routes_one_replacement_order_for_what_came_back()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 50);
        var (orderId, distributor) = await world.ShippedOrderAsync(world.CustomerX, 10);
        var id = await AskedAsync(world, orderId, 4, exchange: true);
        var reservedBefore = await world.ReservedAsync();

        var received = (await world.AsDistributor(distributor).PostJsonAsync($"/api/returns/{id}/receive", Receipt(world, 3, 1))).Expect(HttpStatusCode.OK);
        Assert.True((bool)received["exchange"]!);
        var replacement = (string?)received["replacementOrderId"];
        Assert.NotNull(replacement);
        Assert.NotEqual(orderId, replacement);

        var order = (await world.AsCustomer(world.CustomerX).GetJsonAsync($"/api/orders/{replacement}")).Expect(HttpStatusCode.OK);
        Assert.Equal((world.CustomerX, "Allocated"), ((string?)order["customerId"], (string?)order["status"]));
        var line = Assert.Single(order["lines"]!.AsArray())!;
        Assert.Equal((world.Sku, 4), ((string?)line["sku"], (int)line["quantity"]!));
        Assert.Equal(4, order["allocations"]!.AsArray().Sum(a => (int)a!["quantity"]!));
        Assert.Equal(reservedBefore + 4, await world.ReservedAsync());

        // Received again: the same replacement, not a second one.
        var again = (await world.Ops.PostJsonAsync($"/api/returns/{id}/receive", Receipt(world, 3, 1))).Expect(HttpStatusCode.OK);
        Assert.Equal(replacement, (string?)again["replacementOrderId"]);
        Assert.Equal(replacement, (string?)(await world.Ops.GetJsonAsync($"/api/returns/{id}")).Expect(HttpStatusCode.OK)["replacementOrderId"]);
        Assert.Equal(reservedBefore + 4, await world.ReservedAsync());
    }

    [Fact]
    public async Task A_return_is_seen_and_handled_only_by_its_customer_its_distributor_and_ops()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 50);
        var (orderId, distributor) = await world.ShippedOrderAsync(world.CustomerX, 10);
        var other = distributor == world.DistributorA ? world.DistributorB : world.DistributorA;
        var (own, foreign, stranger) = (world.AsDistributor(distributor), world.AsDistributor(other), world.AsCustomer(world.CustomerY));

        (await AskAsync(stranger, orderId, Lines(world, 1))).ExpectProblem(HttpStatusCode.NotFound);
        (await AskAsync(own, orderId, Lines(world, 1))).ExpectProblem(HttpStatusCode.Forbidden);
        (await AskAsync(world.AsSales($"s-{world.Tag}-z"), orderId, Lines(world, 1))).ExpectProblem(HttpStatusCode.Forbidden);
        Assert.Empty(await ListAsync(world.Ops, $"&orderId={orderId}"));
        var id = await AskedAsync(world, orderId, 3);

        (await stranger.GetJsonAsync($"/api/returns/{id}")).ExpectProblem(HttpStatusCode.NotFound);
        (await foreign.GetJsonAsync($"/api/returns/{id}")).ExpectProblem(HttpStatusCode.NotFound);
        Assert.DoesNotContain(id, await IdsAsync(stranger));
        Assert.DoesNotContain(id, await IdsAsync(foreign, $"&orderId={orderId}"));
        (await foreign.PostJsonAsync($"/api/returns/{id}/receive", Receipt(world, 3, 0))).ExpectProblem(HttpStatusCode.NotFound);
        (await stranger.PostJsonAsync($"/api/returns/{id}/receive", Receipt(world, 3, 0))).ExpectProblem(HttpStatusCode.NotFound);
        (await world.AsCustomer(world.CustomerX).PostJsonAsync($"/api/returns/{id}/receive", Receipt(world, 3, 0))).ExpectProblem(HttpStatusCode.Forbidden);
        (await world.AsSales($"s-{world.Tag}-z").GetJsonAsync("/api/returns")).ExpectProblem(HttpStatusCode.Forbidden);
        Assert.Equal("Requested", (string?)(await world.Ops.GetJsonAsync($"/api/returns/{id}")).Expect(HttpStatusCode.OK)["status"]);

        Assert.Equal("Requested", (string?)(await world.AsCustomer(world.CustomerX).GetJsonAsync($"/api/returns/{id}")).Expect(HttpStatusCode.OK)["status"]);
        Assert.Contains(id, await IdsAsync(own));
        Assert.Equal("Received", (string?)(await own.PostJsonAsync($"/api/returns/{id}/receive", Receipt(world, 3, 0))).Expect(HttpStatusCode.OK)["status"]);
        Assert.Equal(43, (await world.LevelsAsync(distributor)).OnHand);
    }

    [Fact]
    public async Task The_list_filters_by_order_and_status_and_a_customer_sees_only_its_own()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 50);
        var (first, distributor) = await world.ShippedOrderAsync(world.CustomerX, 10);
        var (second, _) = await world.ShippedOrderAsync(world.CustomerX, 5);
        var (theirs, _) = await world.ShippedOrderAsync(world.CustomerY, 5);
        var received = await AskedAsync(world, first, 2);
        var waiting = await AskedAsync(world, first, 3);
        var other = await AskedAsync(world, second, 1);
        var yours = (string)(await AskAsync(world.AsCustomer(world.CustomerY), theirs, Lines(world, 1))).Expect(HttpStatusCode.Created)["returnId"]!;
        (await world.AsDistributor(distributor).PostJsonAsync($"/api/returns/{received}/receive", Receipt(world, 2, 0))).Expect(HttpStatusCode.OK);

        Assert.Equal(new[] { received, waiting }.Order(), (await IdsAsync(world.Ops, $"&orderId={first}")).Order());
        Assert.Equal([received], await IdsAsync(world.Ops, $"&orderId={first}&status=Received"));
        Assert.Equal([waiting], await IdsAsync(world.Ops, $"&orderId={first}&status=Requested"));
        Assert.Equal([other], await IdsAsync(world.Ops, $"&orderId={second}"));
        Assert.Equal(new[] { received, waiting, other }.Order(), (await IdsAsync(world.AsCustomer(world.CustomerX))).Order());
        Assert.Equal([yours], await IdsAsync(world.AsCustomer(world.CustomerY)));
        Assert.Empty(await IdsAsync(world.AsCustomer(world.CustomerY), $"&orderId={first}"));
        Assert.Equal([received], await IdsAsync(world.AsCustomer(world.CustomerX), "&status=Received"));
        Assert.Equal("badStatus", (await world.Ops.GetJsonAsync("/api/returns?status=Lost")).Code(HttpStatusCode.BadRequest));
    }
}
