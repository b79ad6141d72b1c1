using System.Net;
using Routing.Tests.Api;

namespace Routing.Tests.Stock;

/// <summary>Transfers between distributors (OPERATIONS.md "Stock operations", 调拨): requested by ops with the units held
/// at the source at once, dispatched by the source (off its on hand, incoming at the destination), received by the
/// destination (short: Discrepancy and a TransferDiscrepancy alert), cancelled by ops before dispatch; each side sees its
/// own; and a transfer racing a flash sale on the same stock never oversells it.</summary>
[Collection(ApiCollection.Name)]
public sealed class TransferTests(ApiFactory api)
{
    private static object Body(World world, int quantity, string? from = null, string? to = null, string? sku = null) =>
        new { fromDistributorId = from ?? world.DistributorA, toDistributorId = to ?? world.DistributorB, sku = sku ?? world.Sku, quantity };

    private static Task<Reply> RequestAsync(World world, int quantity, string? key = null) =>
        world.Ops.PostJsonAsync("/api/transfers", Body(world, quantity), key ?? StockApi.Key());

    private static async Task<string> RequestedAsync(World world, int quantity)
    {
        var reply = (await RequestAsync(world, quantity)).Expect(HttpStatusCode.Created);
        Assert.Equal("Requested", (string?)reply["status"]);
        return (string)reply["transferId"]!;
    }

    private static async Task<string> InTransitAsync(World world, int quantity)
    {
        var id = await RequestedAsync(world, quantity);
        Assert.Equal("InTransit", (string?)(await world.AsDistributor(world.DistributorA).PostJsonAsync($"/api/transfers/{id}/dispatch", null))
            .Expect(HttpStatusCode.OK)["status"]);
        return id;
    }

    private static async Task<List<string>> ListAsync(HttpClient client, string query = "") =>
        [.. (await client.GetJsonAsync($"/api/transfers?pageSize=500{query}")).Expect(HttpStatusCode.OK).AsArray().Select(t => (string)t!["transferId"]!)];

    [Fact]
    public async Task A_request_holds_the_units_at_the_source_and_moves_nothing_yet()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 10);
        var reply = (await RequestAsync(world, 20)).Expect(HttpStatusCode.Created);
        var id = (string)reply["transferId"]!;
        Assert.Equal((world.DistributorA, world.DistributorB, world.Sku, 20, "Requested"),
            ((string?)reply["fromDistributorId"], (string?)reply["toDistributorId"], (string?)reply["sku"], (int)reply["quantity"]!, (string?)reply["status"]));

        Assert.Equal((50, 20, 30, 0), await world.LevelsAsync(world.DistributorA));
        Assert.Equal((10, 0, 10, 0), await world.LevelsAsync(world.DistributorB));
        var read = (await world.Ops.GetJsonAsync($"/api/transfers/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(("Requested", 20), ((string?)read["status"], (int)read["quantity"]!));

        var hold = Assert.Single(await world.RowsOfAsync(world.DistributorA, id, 1));
        Assert.Equal(("Reserve", 20, 50, 50, 0, 20), ((string?)hold["kind"], (int)hold["quantity"]!, (int)hold["onHandBefore"]!, (int)hold["onHandAfter"]!,
            (int)hold["reservedBefore"]!, (int)hold["reservedAfter"]!));
        Assert.Empty(await world.RowsOfAsync(world.DistributorB, id, 0));
    }

    [Fact]
    public async Task More_than_available_is_refused_as_insufficient_stock_and_changes_nothing()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 10);
        (await world.OrderAsync(world.CustomerX, 10)).Expect(HttpStatusCode.Created); // 10 of A's 50 reserved: 40 available
        Assert.Equal((50, 10, 40, 0), await world.LevelsAsync(world.DistributorA));

        Assert.Equal("insufficientStock", (await RequestAsync(world, 41)).Code(HttpStatusCode.Conflict));
        Assert.Equal((50, 10, 40, 0), await world.LevelsAsync(world.DistributorA));
        Assert.Empty(await ListAsync(world.Ops, $"&distributorId={world.DistributorA}"));
        // Exactly what is available can be held.
        (await RequestAsync(world, 40)).Expect(HttpStatusCode.Created);
        Assert.Equal((50, 50, 0, 0), await world.LevelsAsync(world.DistributorA));
    }

    [Fact]
    public async Task A_replayed_request_holds_once_and_its_key_with_another_body_is_refused()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 10);
        var key = StockApi.Key();
        var first = await RequestAsync(world, 20, key);
        var id = (string)first.Expect(HttpStatusCode.Created)["transferId"]!;
        Assert.False(first.Replayed());

        var again = await RequestAsync(world, 20, key);
        Assert.Equal(id, (string)again.Expect(HttpStatusCode.Created)["transferId"]!);
        Assert.True(again.Replayed(), $"a replay says so: {again}");
        Assert.Equal((50, 20, 30, 0), await world.LevelsAsync(world.DistributorA));

        Assert.Equal("idempotencyKeyReused", (await RequestAsync(world, 21, key)).Code(HttpStatusCode.UnprocessableEntity));
        Assert.Equal("idempotencyKeyReused", (await world.Ops.PostJsonAsync("/api/transfers",
            Body(world, 20, from: world.DistributorB, to: world.DistributorA), key)).Code(HttpStatusCode.UnprocessableEntity));
        Assert.Equal((50, 20, 30, 0), await world.LevelsAsync(world.DistributorA));
        Assert.Equal((10, 0, 10, 0), await world.LevelsAsync(world.DistributorB));
        Assert.Equal([id], await ListAsync(world.Ops, $"&distributorId={world.DistributorA}"));
    }

    [Fact]
    public Task Many_concurrent_requests_with_one_key_hold_once() => SameKeyRaceAsync(api);

    internal static async Task SameKeyRaceAsync(ApiFactory api)
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 10);
        var key = StockApi.Key();
        var replies = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => RequestAsync(world, 20, key)));

        var ids = replies.Select(r => (string)r.Expect(HttpStatusCode.Created)["transferId"]!).Distinct().ToList();
        Assert.Single(ids);
        Assert.Single(replies, r => !r.Replayed());
        Assert.Equal((50, 20, 30, 0), await world.LevelsAsync(world.DistributorA));
        await world.SettledLedgerAsync(world.DistributorA);
        Assert.Single(await world.RowsOfAsync(world.DistributorA, ids[0], 1));
    }

    [Fact]
    public async Task A_request_that_names_nothing_real_or_lacks_a_key_is_refused_and_holds_nothing()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 10);
        Assert.Equal("sameDistributor", (await world.Ops.PostJsonAsync("/api/transfers", Body(world, 5, to: world.DistributorA), StockApi.Key()))
            .Code(HttpStatusCode.UnprocessableEntity));
        Assert.Equal("unknownProduct", (await world.Ops.PostJsonAsync("/api/transfers", Body(world, 5, sku: $"{world.Sku}-none"), StockApi.Key()))
            .Code(HttpStatusCode.UnprocessableEntity));
        (await world.Ops.PostJsonAsync("/api/transfers", Body(world, 5, to: $"d-{world.Tag}-none"), StockApi.Key())).ExpectProblem(HttpStatusCode.NotFound);
        (await world.Ops.PostJsonAsync("/api/transfers", Body(world, 5, from: $"d-{world.Tag}-none"), StockApi.Key())).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal("idempotencyKeyRequired", (await world.Ops.PostJsonAsync("/api/transfers", Body(world, 5), null)).Code(HttpStatusCode.BadRequest));
        (await world.Ops.PostJsonAsync("/api/transfers", Body(world, 0), StockApi.Key())).ExpectProblem(HttpStatusCode.BadRequest);
        (await world.AsDistributor(world.DistributorA).PostJsonAsync("/api/transfers", Body(world, 5), StockApi.Key())).ExpectProblem(HttpStatusCode.Forbidden);
        (await world.AsCustomer(world.CustomerX).PostJsonAsync("/api/transfers", Body(world, 5), StockApi.Key())).ExpectProblem(HttpStatusCode.Forbidden);

        Assert.Equal((50, 0, 50, 0), await world.LevelsAsync(world.DistributorA));
        Assert.Equal((10, 0, 10, 0), await world.LevelsAsync(world.DistributorB));
        Assert.Empty(await ListAsync(world.Ops, $"&distributorId={world.DistributorA}"));
        Assert.Empty(await ListAsync(world.Ops, $"&distributorId={world.DistributorB}"));
    }

    [Fact]
    public async Task Dispatch_takes_the_units_off_the_source_and_shows_them_incoming_at_the_destination_once()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 10);
        var id = await RequestedAsync(world, 20);
        var dispatched = (await world.AsDistributor(world.DistributorA).PostJsonAsync($"/api/transfers/{id}/dispatch", null)).Expect(HttpStatusCode.OK);
        Assert.Equal("InTransit", (string?)dispatched["status"]);
        Assert.NotNull((string?)dispatched["dispatchedAt"]);
        Assert.Equal((30, 0, 30, 0), await world.LevelsAsync(world.DistributorA));
        Assert.Equal((10, 0, 10, 20), await world.LevelsAsync(world.DistributorB));

        // A repeat (the source's retry, or ops') moves nothing again.
        Assert.Equal("InTransit", (string?)(await world.Ops.PostJsonAsync($"/api/transfers/{id}/dispatch", null)).Expect(HttpStatusCode.OK)["status"]);
        Assert.Equal("InTransit", (string?)(await world.AsDistributor(world.DistributorA).PostJsonAsync($"/api/transfers/{id}/dispatch", null))
            .Expect(HttpStatusCode.OK)["status"]);
        Assert.Equal((30, 0, 30, 0), await world.LevelsAsync(world.DistributorA));
        Assert.Equal((10, 0, 10, 20), await world.LevelsAsync(world.DistributorB));

        await world.SettledLedgerAsync(world.DistributorA);
        var rows = await world.RowsOfAsync(world.DistributorA, id, 2);
        Assert.Equal(["Reserve", "TransferOut"], rows.OrderBy(r => (long)r["seq"]!).Select(r => (string?)r["kind"]));
        var output = rows.Single(r => (string?)r["kind"] == "TransferOut");
        Assert.Equal((-20, 50, 30, 20, 0), ((int)output["quantity"]!, (int)output["onHandBefore"]!, (int)output["onHandAfter"]!,
            (int)output["reservedBefore"]!, (int)output["reservedAfter"]!));
    }

    [Fact]
    public async Task Received_in_full_the_units_are_on_hand_at_the_destination_and_a_repeat_counts_once()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 10);
        var id = await InTransitAsync(world, 20);
        var received = (await world.AsDistributor(world.DistributorB).PostJsonAsync($"/api/transfers/{id}/receive", new { receivedQuantity = 20 })).Expect(HttpStatusCode.OK);
        Assert.Equal(("Received", 20), ((string?)received["status"], (int)received["receivedQuantity"]!));
        Assert.Equal((30, 0, 30, 0), await world.LevelsAsync(world.DistributorB));

        // The same receipt again is harmless; another one is refused.
        Assert.Equal("Received", (string?)(await world.Ops.PostJsonAsync($"/api/transfers/{id}/receive", new { receivedQuantity = 20 })).Expect(HttpStatusCode.OK)["status"]);
        Assert.Equal("notAllowed", (await world.Ops.PostJsonAsync($"/api/transfers/{id}/receive", new { receivedQuantity = 19 })).Code(HttpStatusCode.Conflict));
        Assert.Equal((30, 0, 30, 0), await world.LevelsAsync(world.DistributorB));
        Assert.Equal((30, 0, 30, 0), await world.LevelsAsync(world.DistributorA));

        await world.SettledLedgerAsync(world.DistributorB);
        var arrived = Assert.Single(await world.RowsOfAsync(world.DistributorB, id, 1));
        Assert.Equal(("TransferIn", 20, 10, 30), ((string?)arrived["kind"], (int)arrived["quantity"]!, (int)arrived["onHandBefore"]!, (int)arrived["onHandAfter"]!));
        // Neither end was left with anything held or expected, and the list says Received.
        Assert.Equal([id], await ListAsync(world.Ops, $"&distributorId={world.DistributorB}&status=Received"));
    }

    [Fact]
    public async Task Received_short_is_a_discrepancy_with_an_alert_at_the_destination()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 10);
        var id = await InTransitAsync(world, 20);
        var received = (await world.AsDistributor(world.DistributorB).PostJsonAsync($"/api/transfers/{id}/receive", new { receivedQuantity = 17 })).Expect(HttpStatusCode.OK);
        Assert.Equal(("Discrepancy", 17), ((string?)received["status"], (int)received["receivedQuantity"]!));
        Assert.Equal((27, 0, 27, 0), await world.LevelsAsync(world.DistributorB));

        var alerts = await world.AlertAsync(world.DistributorB, "TransferDiscrepancy", a => ((string?)a["message"] ?? "").Contains(id, StringComparison.Ordinal));
        var alert = Assert.Single(alerts);
        Assert.Equal(world.Sku, (string?)alert["sku"]);
        // The destination reads it too, the source does not.
        var own = (await world.AsDistributor(world.DistributorB).GetJsonAsync("/api/alerts?pageSize=500")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Contains(own, a => (string?)a!["kind"] == "TransferDiscrepancy");
        var source = (await world.AsDistributor(world.DistributorA).GetJsonAsync("/api/alerts?pageSize=500")).Expect(HttpStatusCode.OK).AsArray();
        Assert.DoesNotContain(source, a => (string?)a!["kind"] == "TransferDiscrepancy");

        var arrived = Assert.Single(await world.RowsOfAsync(world.DistributorB, id, 1));
        Assert.Equal(("TransferIn", 17), ((string?)arrived["kind"], (int)arrived["quantity"]!));
    }

    [Fact]
    public async Task More_received_than_dispatched_or_a_receipt_before_dispatch_is_refused()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 10);
        var requested = await RequestedAsync(world, 5);
        Assert.Equal("notAllowed", (await world.Ops.PostJsonAsync($"/api/transfers/{requested}/receive", new { receivedQuantity = 5 })).Code(HttpStatusCode.Conflict));

        var id = await InTransitAsync(world, 20);
        Assert.Equal("receivedExceedsDispatched", (await world.AsDistributor(world.DistributorB).PostJsonAsync($"/api/transfers/{id}/receive", new { receivedQuantity = 21 }))
            .Code(HttpStatusCode.UnprocessableEntity));
        (await world.Ops.PostJsonAsync($"/api/transfers/{id}/receive", new { receivedQuantity = -1 })).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Equal("InTransit", (string?)(await world.Ops.GetJsonAsync($"/api/transfers/{id}")).Expect(HttpStatusCode.OK)["status"]);
        Assert.Equal((10, 0, 10, 20), await world.LevelsAsync(world.DistributorB));
        // The right receipt still goes through afterwards.
        (await world.AsDistributor(world.DistributorB).PostJsonAsync($"/api/transfers/{id}/receive", new { receivedQuantity = 20 })).Expect(HttpStatusCode.OK);
        Assert.Equal((30, 0, 30, 0), await world.LevelsAsync(world.DistributorB));
    }

    [Fact]
    public async Task Cancelled_before_dispatch_the_hold_is_released_and_after_dispatch_it_cannot_be()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 10);
        var id = await RequestedAsync(world, 20);
        Assert.Equal((50, 20, 30, 0), await world.LevelsAsync(world.DistributorA));
        (await world.AsDistributor(world.DistributorA).PostJsonAsync($"/api/transfers/{id}/cancel", null)).ExpectProblem(HttpStatusCode.Forbidden);
        Assert.Equal("Cancelled", (string?)(await world.Ops.PostJsonAsync($"/api/transfers/{id}/cancel", null)).Expect(HttpStatusCode.OK)["status"]);
        Assert.Equal((50, 0, 50, 0), await world.LevelsAsync(world.DistributorA));
        Assert.Equal("Cancelled", (string?)(await world.Ops.PostJsonAsync($"/api/transfers/{id}/cancel", null)).Expect(HttpStatusCode.OK)["status"]); // harmless
        Assert.Equal("notAllowed", (await world.Ops.PostJsonAsync($"/api/transfers/{id}/dispatch", null)).Code(HttpStatusCode.Conflict));
        Assert.Equal((50, 0, 50, 0), await world.LevelsAsync(world.DistributorA));
        Assert.Equal((10, 0, 10, 0), await world.LevelsAsync(world.DistributorB));
        var rows = await world.RowsOfAsync(world.DistributorA, id, 2);
        Assert.Equal(["Reserve", "Release"], rows.OrderBy(r => (long)r["seq"]!).Select(r => (string?)r["kind"]));
        Assert.Equal(-20, (int)rows.Single(r => (string?)r["kind"] == "Release")["quantity"]!);

        var gone = await InTransitAsync(world, 15);
        Assert.Equal("notAllowed", (await world.Ops.PostJsonAsync($"/api/transfers/{gone}/cancel", null)).Code(HttpStatusCode.Conflict));
        Assert.Equal("InTransit", (string?)(await world.Ops.GetJsonAsync($"/api/transfers/{gone}")).Expect(HttpStatusCode.OK)["status"]);
        Assert.Equal((35, 0, 35, 0), await world.LevelsAsync(world.DistributorA));
        Assert.Equal((10, 0, 10, 15), await world.LevelsAsync(world.DistributorB));
    }

    [Fact]
    public async Task Each_side_sees_and_does_only_its_own_part_and_nobody_else_sees_it()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 10);
        var third = await world.ThirdDistributorAsync();
        var (a, b, c) = (world.AsDistributor(world.DistributorA), world.AsDistributor(world.DistributorB), world.AsDistributor(third));
        var id = await RequestedAsync(world, 20);

        (await c.GetJsonAsync($"/api/transfers/{id}")).ExpectProblem(HttpStatusCode.NotFound);
        (await c.PostJsonAsync($"/api/transfers/{id}/dispatch", null)).ExpectProblem(HttpStatusCode.NotFound);
        (await c.PostJsonAsync($"/api/transfers/{id}/cancel", null)).ExpectProblem(HttpStatusCode.NotFound);
        (await world.AsCustomer(world.CustomerX).GetJsonAsync($"/api/transfers/{id}")).ExpectProblem(HttpStatusCode.NotFound);
        (await b.PostJsonAsync($"/api/transfers/{id}/dispatch", null)).ExpectProblem(HttpStatusCode.Forbidden);
        Assert.Equal((50, 20, 30, 0), await world.LevelsAsync(world.DistributorA));

        (await a.PostJsonAsync($"/api/transfers/{id}/dispatch", null)).Expect(HttpStatusCode.OK);
        (await c.PostJsonAsync($"/api/transfers/{id}/receive", new { receivedQuantity = 20 })).ExpectProblem(HttpStatusCode.NotFound);
        (await a.PostJsonAsync($"/api/transfers/{id}/receive", new { receivedQuantity = 20 })).ExpectProblem(HttpStatusCode.Forbidden);
        Assert.Equal((10, 0, 10, 20), await world.LevelsAsync(world.DistributorB));
        Assert.Equal("InTransit", (string?)(await b.GetJsonAsync($"/api/transfers/{id}")).Expect(HttpStatusCode.OK)["status"]);

        // Both sides list it, whichever distributor they name; the third never does.
        Assert.Contains(id, await ListAsync(a));
        Assert.Contains(id, await ListAsync(b));
        Assert.Contains(id, await ListAsync(b, $"&distributorId={third}"));
        Assert.DoesNotContain(id, await ListAsync(c));
        Assert.DoesNotContain(id, await ListAsync(c, $"&distributorId={world.DistributorA}"));
        (await world.AsCustomer(world.CustomerX).GetJsonAsync("/api/transfers")).ExpectProblem(HttpStatusCode.Forbidden);
        (await world.AsSales($"s-{world.Tag}-z").GetJsonAsync("/api/transfers")).ExpectProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_list_filters_by_status()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 10);
        var requested = await RequestedAsync(world, 5);
        var inTransit = await InTransitAsync(world, 6);
        var cancelled = await RequestedAsync(world, 7);
        (await world.Ops.PostJsonAsync($"/api/transfers/{cancelled}/cancel", null)).Expect(HttpStatusCode.OK);

        var mine = $"&distributorId={world.DistributorA}";
        Assert.Equal([requested], await ListAsync(world.Ops, $"{mine}&status=Requested"));
        Assert.Equal([inTransit], await ListAsync(world.Ops, $"{mine}&status=InTransit"));
        Assert.Equal([cancelled], await ListAsync(world.Ops, $"{mine}&status=Cancelled"));
        Assert.Empty(await ListAsync(world.Ops, $"{mine}&status=Received"));
        Assert.Equal([requested], await ListAsync(world.AsDistributor(world.DistributorB), "&status=Requested"));
        Assert.Equal(new[] { requested, inTransit, cancelled }.Order(), (await ListAsync(world.Ops, mine)).Order());
        Assert.Equal("badStatus", (await world.Ops.GetJsonAsync("/api/transfers?status=Lost")).Code(HttpStatusCode.BadRequest));
    }

    [Fact]
    public Task A_transfer_racing_a_flash_sale_on_the_same_stock_never_oversells() => RaceAsync(api);

    /// <summary>20 growers homed at the source buy its 30 units (1 or 2 at a time, about 100 asked for) while ops request
    /// a transfer of 20 once the sale is under way and, alongside, transfers of 3 one after another until refused. Afterwards
    /// what is allocated there plus what the transfers hold is at most 30 and is exactly what is reserved; nothing was refused
    /// while there was enough; and dispatching the held transfers leaves on hand covering the orders. Also run on PostgreSQL.</summary>
    internal static async Task RaceAsync(ApiFactory api)
    {
        const int stock = 30;
        var world = await World.CreateAsync(api, stockA: stock, stockB: 0);
        var customers = await world.HomedCustomersAsync(world.DistributorA, 20, "r");
        var underWay = new TaskCompletionSource();
        var completed = 0;
        var orders = customers.Select(async (customer, c) =>
        {
            var replies = new List<Reply>();
            for (var n = 0; n < 3; n++)
            {
                replies.Add(await world.OrderAsync(customer, 1 + ((c + n) % 2)));
                if (Interlocked.Increment(ref completed) == 10) underWay.TrySetResult();
            }
            return replies;
        }).ToList();
        var big = Task.Run(async () =>
        {
            await underWay.Task;
            return await RequestAsync(world, 20);
        });
        var small = Task.Run(async () =>
        {
            var replies = new List<Reply>();
            for (var n = 0; n < 10; n++)
            {
                var reply = await RequestAsync(world, 3);
                replies.Add(reply);
                if (reply.Status != HttpStatusCode.Created) break;
            }
            return replies;
        });
        await Task.WhenAll([.. orders, big, small]);

        var transfers = (await small).Select(r => (Reply: r, Asked: 3)).Append((Reply: await big, Asked: 20));
        var held = new List<(string Id, int Quantity)>();
        var refusedTransfer = int.MaxValue;
        foreach (var (reply, asked) in transfers)
        {
            if (reply.Status == HttpStatusCode.Created)
            {
                Assert.Equal("Requested", (string?)reply.Json["status"]);
                held.Add(((string)reply.Json["transferId"]!, (int)reply.Json["quantity"]!));
            }
            else
            {
                Assert.Equal("insufficientStock", reply.Code(HttpStatusCode.Conflict));
                refusedTransfer = Math.Min(refusedTransfer, asked);
            }
        }

        var allocated = 0;
        var refusedOrder = int.MaxValue;
        foreach (var reply in (await Task.WhenAll(orders)).SelectMany(r => r))
        {
            if (reply.Status == HttpStatusCode.TooManyRequests) continue; // a flood may be throttled: not a failure
            var order = reply.Expect(HttpStatusCode.Created);
            if ((string?)order["status"] == "Rejected")
            {
                refusedOrder = Math.Min(refusedOrder, (int)order["lines"]![0]!["quantity"]!);
                continue;
            }
            Assert.Equal("Allocated", (string?)order["status"]);
            allocated += order["allocations"]!.AsArray().Where(x => (string?)x!["distributorId"] == world.DistributorA).Sum(x => (int)x!["quantity"]!);
        }

        var holding = held.Sum(h => h.Quantity);
        var a = await world.LevelsAsync(world.DistributorA);
        var b = await world.LevelsAsync(world.DistributorB);
        Assert.True(allocated + holding <= stock, $"{allocated} allocated and {holding} held for transfers of {stock} in stock");
        Assert.Equal((stock, allocated + holding), (a.OnHand, a.Reserved));
        Assert.True(a.Reserved <= a.OnHand && b.Reserved <= b.OnHand, $"A {a}, B {b}");
        Assert.Equal((0, 0), (b.OnHand, b.Reserved));
        // Nothing was refused while there was enough: each refusal saw less available than it asked, and available only fell.
        Assert.True(a.Available < Math.Min(refusedTransfer, refusedOrder), $"{a.Available} still available after refusing {Math.Min(refusedTransfer, refusedOrder)}");
        Assert.True(refusedOrder < int.MaxValue || refusedTransfer < int.MaxValue, "the sale and the transfers asked for more than there was");

        await Task.WhenAll(held.Select(async h => (await world.AsDistributor(world.DistributorA).PostJsonAsync($"/api/transfers/{h.Id}/dispatch", null)).Expect(HttpStatusCode.OK)));
        a = await world.LevelsAsync(world.DistributorA);
        Assert.Equal((stock - holding, allocated), (a.OnHand, a.Reserved));
        Assert.Equal(holding, (await world.LevelsAsync(world.DistributorB)).Incoming);
    }
}
