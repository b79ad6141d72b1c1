using System.Net;
using Routing.Tests.Api;

namespace Routing.Tests.Stock;

/// <summary>Each stock operation's happy path through the API, end to end: a transfer requested, dispatched and received
/// short; a shipped order's return received with damaged units, as an exchange; a stocktake applied.</summary>
[Collection(ApiCollection.Name)]
public sealed class StockOperationsSmokeTests(ApiFactory api)
{
    [Fact]
    public async Task A_transfer_holds_dispatches_and_arrives_short_as_a_discrepancy()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 10);
        var requested = (await world.Ops.PostJsonAsync("/api/transfers",
            new { fromDistributorId = world.DistributorA, toDistributorId = world.DistributorB, sku = world.Sku, quantity = 20 }, Guid.NewGuid().ToString())).Expect(HttpStatusCode.Created);
        var id = (string)requested["transferId"]!;
        Assert.Equal("Requested", (string?)requested["status"]);
        Assert.Equal((50, 20), ((int)(await world.StockAsync(world.DistributorA))["onHand"]!, (int)(await world.StockAsync(world.DistributorA))["reserved"]!));

        (await world.AsDistributor(world.DistributorA).PostJsonAsync($"/api/transfers/{id}/dispatch", null)).Expect(HttpStatusCode.OK);
        Assert.Equal((30, 0), ((int)(await world.StockAsync(world.DistributorA))["onHand"]!, (int)(await world.StockAsync(world.DistributorA))["reserved"]!));
        Assert.Equal(20, (int)(await world.StockAsync(world.DistributorB))["incoming"]!);

        var received = (await world.AsDistributor(world.DistributorB).PostJsonAsync($"/api/transfers/{id}/receive", new { receivedQuantity = 18 })).Expect(HttpStatusCode.OK);
        Assert.Equal(("Discrepancy", 18), ((string?)received["status"], (int)received["receivedQuantity"]!));
        var b = await world.StockAsync(world.DistributorB);
        Assert.Equal((28, 0), ((int)b["onHand"]!, (int)b["incoming"]!));
    }

    [Fact]
    public async Task A_shipped_orders_return_comes_back_with_its_damaged_units_written_off_and_its_exchange_routed()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 50);
        var order = (await world.OrderAsync(world.CustomerX, 10)).Expect(HttpStatusCode.Created);
        var orderId = (string)order["orderId"]!;
        var distributor = (string)order["allocations"]![0]!["distributorId"]!;
        (await world.Ops.PostJsonAsync($"/api/orders/{orderId}/confirm", null)).Expect(HttpStatusCode.OK);
        (await world.Ops.PostJsonAsync($"/api/orders/{orderId}/ship", null)).Expect(HttpStatusCode.OK);
        var onHand = (int)(await world.StockAsync(distributor))["onHand"]!;

        var asked = (await world.AsCustomer(world.CustomerX).PostJsonAsync($"/api/orders/{orderId}/returns",
            new { lines = new[] { new { sku = world.Sku, quantity = 4 } }, reason = "wrong grade", exchange = true }, "r-1")).Expect(HttpStatusCode.Created);
        var returnId = (string)asked["returnId"]!;
        Assert.Equal("returnExceedsShipped", (string?)(await world.AsCustomer(world.CustomerX).PostJsonAsync($"/api/orders/{orderId}/returns",
            new { lines = new[] { new { sku = world.Sku, quantity = 7 } }, reason = "more" }, "r-2")).ExpectProblem(HttpStatusCode.UnprocessableEntity)["code"]);

        var received = (await world.AsDistributor(distributor).PostJsonAsync($"/api/returns/{returnId}/receive",
            new { lines = new[] { new { sku = world.Sku, resellable = 3, damaged = 1 } } })).Expect(HttpStatusCode.OK);
        Assert.Equal("Received", (string?)received["status"]);
        Assert.NotNull((string?)received["replacementOrderId"]);
        // The replacement reserved 4 again; 3 came back on hand.
        Assert.Equal(onHand + 3, (int)(await world.StockAsync(distributor))["onHand"]!);
        // The same receipt again counts once.
        (await world.AsDistributor(distributor).PostJsonAsync($"/api/returns/{returnId}/receive",
            new { lines = new[] { new { sku = world.Sku, resellable = 3, damaged = 1 } } })).Expect(HttpStatusCode.OK);
        Assert.Equal(onHand + 3, (int)(await world.StockAsync(distributor))["onHand"]!);
    }

    [Fact]
    public async Task A_stocktake_counted_before_a_sale_keeps_the_sale()
    {
        var world = await World.CreateAsync(api, stockA: 50, stockB: 50);
        await Task.Delay(10);
        var countedAt = DateTimeOffset.UtcNow;
        await Task.Delay(10);
        var order = (await world.OrderAsync(world.CustomerX, 5)).Expect(HttpStatusCode.Created);
        var distributor = (string)order["allocations"]![0]!["distributorId"]!;
        (await world.Ops.PostJsonAsync($"/api/orders/{(string)order["orderId"]!}/confirm", null)).Expect(HttpStatusCode.OK);
        (await world.Ops.PostJsonAsync($"/api/orders/{(string)order["orderId"]!}/ship", null)).Expect(HttpStatusCode.OK);

        // Counted 48 when the ledger had 50: 2 missing, whatever was sold since.
        var taken = (await world.AsDistributor(distributor).PostJsonAsync($"/api/distributors/{distributor}/stocktakes",
            new { countedAt, lines = new[] { new { sku = world.Sku, counted = 48 } } }, "s-1")).Expect(HttpStatusCode.Created);
        var line = taken["lines"]![0]!;
        Assert.Equal((50, -2, true, 43), ((int)line["expected"]!, (int)line["difference"]!, (bool)line["applied"]!, (int)line["onHandAfter"]!));
        Assert.Equal(43, (int)(await world.StockAsync(distributor))["onHand"]!);
    }
}
