using System.Net;
using System.Text.Json.Nodes;
using Routing.Tests.Api;

namespace Routing.Tests.Stock;

/// <summary>Stocktakes (OPERATIONS.md "Stock operations", 盘点): each line's expected is the ledger's on hand at
/// <c>countedAt</c>, so what moved since is kept; the difference is applied to today's on hand (ledger Adjust) unless that
/// would go below reserved (needsReview, a StocktakeShortfall alert, nothing applied); idempotent by its key; and a
/// stocktake racing a flash sale leaves a statement that adds up to the stock.</summary>
[Collection(ApiCollection.Name)]
public sealed class StocktakeTests(ApiFactory api)
{
    private static object Count(World world, DateTimeOffset countedAt, int counted) =>
        new { countedAt, lines = new[] { new { sku = world.Sku, counted } } };

    private static Task<Reply> TakeAsync(HttpClient client, string distributorId, object body, string? key = null) =>
        client.PostJsonAsync($"/api/distributors/{distributorId}/stocktakes", body, key ?? StockApi.Key());

    private static JsonNode Line(JsonNode stocktake) => Assert.Single(stocktake["lines"]!.AsArray())!;

    private static (int Counted, int Expected, int Difference, bool Applied, bool NeedsReview, int OnHandAfter) Read(JsonNode line) =>
        ((int)line["counted"]!, (int)line["expected"]!, (int)line["difference"]!, (bool)line["applied"]!, (bool)line["needsReview"]!, (int)line["onHandAfter"]!);

    [Fact]
    public async Task Expected_is_the_ledgers_on_hand_at_countedAt_and_what_was_sold_since_is_kept()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 0);
        await world.ShippedOrderAsync(world.CustomerX, 5); // before the count: 45 on hand when counted
        var countedAt = DateTimeOffset.UtcNow;
        await world.ShippedOrderAsync(world.CustomerX, 3); // during the count: 42 now
        (await world.OrderAsync(world.CustomerX, 2)).Expect(HttpStatusCode.Created); // reserved, not shipped
        Assert.Equal((42, 2), ((await world.LevelsAsync(world.DistributorA)).OnHand, (await world.LevelsAsync(world.DistributorA)).Reserved));

        var taken = (await TakeAsync(world.AsDistributor(world.DistributorA), world.DistributorA, Count(world, countedAt, 40))).Expect(HttpStatusCode.Created);
        var id = (string)taken["stocktakeId"]!;
        Assert.Equal(world.DistributorA, (string?)taken["distributorId"]);
        Assert.Equal((40, 45, -5, true, false, 37), Read(Line(taken)));
        Assert.Equal((37, 2), ((await world.LevelsAsync(world.DistributorA)).OnHand, (await world.LevelsAsync(world.DistributorA)).Reserved));
        var adjust = Assert.Single(await world.RowsOfAsync(world.DistributorA, id, 1));
        Assert.Equal(("Adjust", -5, 42, 37), ((string?)adjust["kind"], (int)adjust["quantity"]!, (int)adjust["onHandBefore"]!, (int)adjust["onHandAfter"]!));

        // Counted more than the ledger had at that time: the surplus is added, again keeping the sales since.
        var later = DateTimeOffset.UtcNow;
        await world.ShippedOrderAsync(world.CustomerX, 4); // 33 now
        var surplus = (await TakeAsync(world.Ops, world.DistributorA, Count(world, later, 40))).Expect(HttpStatusCode.Created);
        Assert.Equal((40, 37, 3, true, false, 36), Read(Line(surplus)));
        Assert.Equal(36, (await world.LevelsAsync(world.DistributorA)).OnHand);
        // Counted what the ledger had: nothing to adjust.
        var exact = (await TakeAsync(world.Ops, world.DistributorA, Count(world, DateTimeOffset.UtcNow, 36))).Expect(HttpStatusCode.Created);
        Assert.Equal((36, 36, 0, true, false, 36), Read(Line(exact)));
        Assert.DoesNotContain(await world.SettledLedgerAsync(world.DistributorA), r => (string?)r["orderId"] == (string)exact["stocktakeId"]!);
    }

    [Fact]
    public async Task A_count_that_would_go_below_reserved_needs_review_and_is_not_applied()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 0);
        (await world.OrderAsync(world.CustomerX, 30)).Expect(HttpStatusCode.Created);
        Assert.Equal((50, 30), ((await world.LevelsAsync(world.DistributorA)).OnHand, (await world.LevelsAsync(world.DistributorA)).Reserved));

        var taken = (await TakeAsync(world.AsDistributor(world.DistributorA), world.DistributorA, Count(world, DateTimeOffset.UtcNow, 10))).Expect(HttpStatusCode.Created);
        var id = (string)taken["stocktakeId"]!;
        Assert.Equal((10, 50, -40, false, true, 50), Read(Line(taken)));
        Assert.Equal((50, 30), ((await world.LevelsAsync(world.DistributorA)).OnHand, (await world.LevelsAsync(world.DistributorA)).Reserved));

        var alert = Assert.Single(await world.AlertAsync(world.DistributorA, "StocktakeShortfall", a => (string?)a["sku"] == world.Sku));
        Assert.Contains("not applied", (string?)alert["message"], StringComparison.Ordinal);
        Assert.DoesNotContain(await world.SettledLedgerAsync(world.DistributorA), r => (string?)r["orderId"] == id);

        // Down to exactly what is reserved is still applied.
        var edge = (await TakeAsync(world.Ops, world.DistributorA, Count(world, DateTimeOffset.UtcNow, 30))).Expect(HttpStatusCode.Created);
        Assert.Equal((30, 50, -20, true, false, 30), Read(Line(edge)));
        Assert.Equal((30, 30), ((await world.LevelsAsync(world.DistributorA)).OnHand, (await world.LevelsAsync(world.DistributorA)).Reserved));
    }

    [Fact]
    public async Task A_replayed_stocktake_is_the_same_one_applied_once_and_its_key_with_other_lines_is_refused()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 0);
        var countedAt = DateTimeOffset.UtcNow;
        var key = StockApi.Key();
        var first = await TakeAsync(world.Ops, world.DistributorA, Count(world, countedAt, 55), key);
        var taken = first.Expect(HttpStatusCode.Created);
        Assert.False(first.Replayed());
        Assert.Equal((55, 50, 5, true, false, 55), Read(Line(taken)));

        var again = await TakeAsync(world.AsDistributor(world.DistributorA), world.DistributorA, Count(world, countedAt, 55), key);
        Assert.True(again.Replayed(), $"a replay says so: {again}");
        Assert.Equal(taken.ToJsonString(), again.Expect(HttpStatusCode.Created).ToJsonString());
        Assert.Equal(55, (await world.LevelsAsync(world.DistributorA)).OnHand);

        Assert.Equal("idempotencyKeyReused", (await TakeAsync(world.Ops, world.DistributorA, Count(world, countedAt, 60), key)).Code(HttpStatusCode.UnprocessableEntity));
        Assert.Equal("idempotencyKeyReused", (await TakeAsync(world.Ops, world.DistributorA, Count(world, countedAt.AddSeconds(-1), 55), key))
            .Code(HttpStatusCode.UnprocessableEntity));
        Assert.Equal(55, (await world.LevelsAsync(world.DistributorA)).OnHand);
        Assert.Single(await world.SettledLedgerAsync(world.DistributorA), r => (string?)r["orderId"] == (string)taken["stocktakeId"]!);
    }

    [Fact]
    public async Task A_stocktake_replayed_after_more_than_the_distributor_keeps_is_answered_by_its_record()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 0);
        var countedAt = DateTimeOffset.UtcNow;
        var key = StockApi.Key();
        var taken = (await TakeAsync(world.Ops, world.DistributorA, Count(world, countedAt, 49), key)).Expect(HttpStatusCode.Created);
        // More stocktakes than the distributor grain keeps (100), each counting what is there.
        for (var i = 0; i < 101; i++)
            (await TakeAsync(world.Ops, world.DistributorA, Count(world, DateTimeOffset.UtcNow, 49), StockApi.Key())).Expect(HttpStatusCode.Created);

        var again = await TakeAsync(world.Ops, world.DistributorA, Count(world, countedAt, 49), key);
        Assert.True(again.Replayed(), $"a replay says so: {again}");
        Assert.Equal(taken.ToJsonString(), again.Expect(HttpStatusCode.Created).ToJsonString());
        Assert.Equal(49, (await world.LevelsAsync(world.DistributorA)).OnHand);
        Assert.Equal("idempotencyKeyReused", (await TakeAsync(world.Ops, world.DistributorA, Count(world, countedAt, 48), key)).Code(HttpStatusCode.UnprocessableEntity));
    }

    [Fact]
    public Task Many_concurrent_requests_with_one_key_apply_it_once() => SameKeyRaceAsync(api);

    internal static async Task SameKeyRaceAsync(ApiFactory api)
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 0);
        var body = Count(world, DateTimeOffset.UtcNow, 46);
        var key = StockApi.Key();
        var replies = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => TakeAsync(world.Ops, world.DistributorA, body, key)));

        Assert.Single(replies.Select(r => r.Expect(HttpStatusCode.Created).ToJsonString()).Distinct());
        Assert.Single(replies, r => !r.Replayed());
        Assert.Equal((46, 50, -4, true, false, 46), Read(Line(replies[0].Json)));
        Assert.Equal(46, (await world.LevelsAsync(world.DistributorA)).OnHand);
        var id = (string)replies[0].Json["stocktakeId"]!;
        Assert.Single(await world.SettledLedgerAsync(world.DistributorA), r => (string?)r["orderId"] == id);
    }

    [Fact]
    public async Task A_stocktake_that_is_wrong_or_not_the_callers_is_refused_and_changes_nothing()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 50);
        var now = DateTimeOffset.UtcNow;
        var own = world.AsDistributor(world.DistributorA);
        Assert.Equal("countedInFuture", (await TakeAsync(own, world.DistributorA, Count(world, now.AddMinutes(5), 40))).Code(HttpStatusCode.UnprocessableEntity));
        Assert.Equal("duplicateSku", (await TakeAsync(own, world.DistributorA,
            new { countedAt = now, lines = new[] { new { sku = world.Sku, counted = 40 }, new { sku = world.Sku, counted = 41 } } })).Code(HttpStatusCode.UnprocessableEntity));
        Assert.Equal("unknownProduct", (await TakeAsync(own, world.DistributorA,
            new { countedAt = now, lines = new[] { new { sku = world.Sku, counted = 40 }, new { sku = $"{world.Sku}-none", counted = 1 } } })).Code(HttpStatusCode.UnprocessableEntity));
        Assert.Equal("idempotencyKeyRequired", (await own.PostJsonAsync($"/api/distributors/{world.DistributorA}/stocktakes", Count(world, now, 40), null))
            .Code(HttpStatusCode.BadRequest));
        (await TakeAsync(own, world.DistributorA, Count(world, now, -1))).ExpectProblem(HttpStatusCode.BadRequest);
        (await TakeAsync(own, world.DistributorA, new { countedAt = now, lines = Array.Empty<object>() })).ExpectProblem(HttpStatusCode.BadRequest);

        (await TakeAsync(world.AsDistributor(world.DistributorB), world.DistributorA, Count(world, now, 40))).ExpectProblem(HttpStatusCode.NotFound);
        (await TakeAsync(world.AsCustomer(world.CustomerX), world.DistributorA, Count(world, now, 40))).ExpectProblem(HttpStatusCode.NotFound);
        (await TakeAsync(world.AsSales($"s-{world.Tag}-z"), world.DistributorA, Count(world, now, 40))).ExpectProblem(HttpStatusCode.Forbidden);
        (await TakeAsync(world.Ops, $"d-{world.Tag}-none", Count(world, now, 40))).ExpectProblem(HttpStatusCode.NotFound);

        Assert.Equal((50, 0), ((await world.LevelsAsync(world.DistributorA)).OnHand, (await world.LevelsAsync(world.DistributorA)).Reserved));
        Assert.Empty((await own.GetJsonAsync($"/api/distributors/{world.DistributorA}/stocktakes")).Expect(HttpStatusCode.OK).AsArray());
    }

    [Fact]
    public async Task A_distributors_stocktakes_are_listed_newest_first_to_it_and_ops_only()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 50);
        var first = (string)(await TakeAsync(world.Ops, world.DistributorA, Count(world, DateTimeOffset.UtcNow, 48))).Expect(HttpStatusCode.Created)["stocktakeId"]!;
        var second = (string)(await TakeAsync(world.Ops, world.DistributorA, Count(world, DateTimeOffset.UtcNow, 47))).Expect(HttpStatusCode.Created)["stocktakeId"]!;
        var path = $"/api/distributors/{world.DistributorA}/stocktakes";

        var listed = (await world.AsDistributor(world.DistributorA).GetJsonAsync(path)).Expect(HttpStatusCode.OK).AsArray();
        Assert.Equal([second, first], listed.Select(s => (string)s!["stocktakeId"]!));
        Assert.Equal((47, 48, -1, true, false, 47), Read(Line(listed[0]!)));
        Assert.Null(listed[0]!["fingerprint"]);
        Assert.Equal(listed.ToJsonString(), (await world.Ops.GetJsonAsync(path)).Expect(HttpStatusCode.OK).ToJsonString());
        (await world.AsDistributor(world.DistributorB).GetJsonAsync(path)).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Empty((await world.Ops.GetJsonAsync($"/api/distributors/{world.DistributorB}/stocktakes")).Expect(HttpStatusCode.OK).AsArray());
        (await world.Ops.GetJsonAsync($"/api/distributors/d-{world.Tag}-none/stocktakes")).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public Task A_stocktake_racing_a_flash_sale_keeps_the_statement_adding_up_to_the_stock() => SaleRaceAsync(api);

    internal static async Task SaleRaceAsync(ApiFactory api)
    {
        var start = DateTimeOffset.UtcNow;
        var world = await World.CreateAsync(api, stockA: 100, stockB: 0);
        var customers = await world.HomedCustomersAsync(world.DistributorA, 12, "s");
        await world.ShippedOrderAsync(customers[0], 6);
        await world.ShippedOrderAsync(customers[1], 4);
        var atCount = await world.LevelsAsync(world.DistributorA);
        Assert.Equal(90, atCount.OnHand);
        var countedAt = DateTimeOffset.UtcNow;

        // 36 orders of 1 to 3 units (72 at most, so the count of 4 missing always fits above reserved), each shipped as it
        // is allocated, with the stocktake sent in the middle of them.
        var sales = Enumerable.Range(0, 36).Select(async i =>
        {
            var reply = await world.OrderAsync(customers[i % customers.Length], 1 + (i % 3));
            if (reply.Status == HttpStatusCode.TooManyRequests) return 0;
            var order = reply.Expect(HttpStatusCode.Created);
            Assert.Equal("Allocated", (string?)order["status"]);
            var id = (string)order["orderId"]!;
            if (i % 4 == 3) return 0; // some stay reserved
            await world.ShipAsync(id);
            return (int)order["lines"]![0]!["quantity"]!;
        }).ToList();
        var stocktake = TakeAsync(world.AsDistributor(world.DistributorA), world.DistributorA, Count(world, countedAt, atCount.OnHand - 4));
        var shipped = (await Task.WhenAll(sales)).Sum();
        var taken = (await stocktake).Expect(HttpStatusCode.Created);

        var line = Read(Line(taken));
        Assert.Equal((atCount.OnHand - 4, atCount.OnHand, -4, true, false), (line.Counted, line.Expected, line.Difference, line.Applied, line.NeedsReview));
        var now = await world.LevelsAsync(world.DistributorA);
        Assert.Equal(atCount.OnHand - 4 - shipped, now.OnHand);
        Assert.True(now.Reserved <= now.OnHand, $"{now.Reserved} reserved of {now.OnHand} on hand");

        // The statement over the whole time adds up and closes at the stock; split at countedAt, it opens there at expected.
        await world.SettledLedgerAsync(world.DistributorA);
        var end = DateTimeOffset.UtcNow.AddMinutes(1);
        var whole = await world.SummaryAsync(world.DistributorA, start, end);
        Assert.Equal(0, (int)whole["opening"]!);
        Assert.Equal((int)whole["closing"]!, StockApi.Balance(whole));
        Assert.Equal(now.OnHand, (int)whole["closing"]!);
        Assert.Equal((100, -4, 10 + shipped), ((int)whole["received"]!, (int)whole["adjusted"]!, (int)whole["shipped"]!));
        var before = await world.SummaryAsync(world.DistributorA, start, countedAt);
        var after = await world.SummaryAsync(world.DistributorA, countedAt, end);
        Assert.Equal((line.Expected, line.Expected), ((int)before["closing"]!, (int)after["opening"]!));
        Assert.Equal((int)after["closing"]!, StockApi.Balance(after));
        Assert.Equal((-4, shipped), ((int)after["adjusted"]!, (int)after["shipped"]!));
    }
}
