using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Routing.Tests.Api;

namespace Routing.Tests.Stock;

/// <summary>What the stock operation tests send and read besides <see cref="World"/>'s own: a world's stock in one read,
/// its ledger rows, alerts, shipped orders and customers homed at one of its distributors.</summary>
internal static class StockApi
{
    /// <summary>A fresh idempotency key: transfer ids are derived from the key alone, and every test shares one host.</summary>
    public static string Key() => Guid.NewGuid().ToString("N");

    /// <summary>This world's SKU at a distributor: (onHand, reserved, available, incoming).</summary>
    public static async Task<(int OnHand, int Reserved, int Available, int Incoming)> LevelsAsync(this World world, string distributorId)
    {
        var stock = await world.StockAsync(distributorId);
        return ((int)stock["onHand"]!, (int)stock["reserved"]!, (int)stock["available"]!, (int)stock["incoming"]!);
    }

    /// <summary>Every ledger row of this world's SKU at a distributor (a world's distributors are its own, so few).</summary>
    public static async Task<List<JsonNode>> LedgerAsync(this World world, string distributorId)
    {
        var rows = (await world.Ops.GetJsonAsync($"/api/distributors/{distributorId}/ledger?pageSize=500")).Expect(HttpStatusCode.OK).AsArray();
        return [.. rows.Where(r => (string?)r!["sku"] == world.Sku).Select(r => r!)];
    }

    /// <summary>The ledger rows an operation (transfer, return, stocktake: its id is the row's <c>orderId</c>) wrote at a
    /// distributor, once there are at least <paramref name="atLeast"/> (the ledger is appended behind the stock's write).</summary>
    public static Task<List<JsonNode>> RowsOfAsync(this World world, string distributorId, string operationId, int atLeast) =>
        Eventually.UntilAsync(async () => (await world.LedgerAsync(distributorId)).Where(r => (string?)r["orderId"] == operationId).ToList(),
            rows => rows.Count >= atLeast, $"{atLeast} ledger rows of {operationId} at {distributorId}");

    /// <summary>Waits until the ledger has caught up with the distributor's on hand (its last row ends there), then returns it.</summary>
    public static async Task<List<JsonNode>> SettledLedgerAsync(this World world, string distributorId)
    {
        var onHand = (await world.LevelsAsync(distributorId)).OnHand;
        return await Eventually.UntilAsync(() => world.LedgerAsync(distributorId),
            rows => rows.Count > 0 && (int)rows.MaxBy(r => (long)r["seq"]!)!["onHandAfter"]! == onHand,
            $"the ledger of {distributorId} to end at its on hand, {onHand}");
    }

    /// <summary>The open alerts of a kind at a distributor, as ops list them, once there is one that <paramref name="matches"/>.</summary>
    public static Task<List<JsonNode>> AlertAsync(this World world, string distributorId, string kind, Func<JsonNode, bool> matches) =>
        Eventually.UntilAsync(async () =>
            {
                var alerts = (await world.Ops.GetJsonAsync($"/api/alerts?distributorId={distributorId}&pageSize=500")).Expect(HttpStatusCode.OK).AsArray();
                return alerts.Select(a => a!).Where(a => (string?)a["kind"] == kind).ToList();
            },
            alerts => alerts.Any(matches), $"a {kind} alert at {distributorId}");

    /// <summary>The stock statement's row of this world's SKU over [from, to].</summary>
    public static async Task<JsonNode> SummaryAsync(this World world, string distributorId, DateTimeOffset from, DateTimeOffset to)
    {
        var path = $"/api/distributors/{distributorId}/ledger/summary?from={Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture))}" +
                   $"&to={Uri.EscapeDataString(to.ToString("O", CultureInfo.InvariantCulture))}";
        var rows = (await world.Ops.GetJsonAsync(path)).Expect(HttpStatusCode.OK).AsArray();
        return rows.Single(r => (string?)r!["sku"] == world.Sku)!;
    }

    /// <summary>opening + received + returned + transferredIn + adjusted − shipped − transferredOut − writtenOff.</summary>
    public static int Balance(JsonNode row) =>
        (int)row["opening"]! + (int)row["received"]! + (int)row["returned"]! + (int)row["transferredIn"]! + (int)row["adjusted"]!
        - (int)row["shipped"]! - (int)row["transferredOut"]! - (int)row["writtenOff"]!;

    /// <summary>Customers of this world homed at <paramref name="distributorId"/>, created through the API.</summary>
    public static async Task<string[]> HomedCustomersAsync(this World world, string distributorId, int count, string prefix)
    {
        var ids = Enumerable.Range(0, count).Select(i => $"c-{world.Tag}-{prefix}{i}").ToArray();
        await Task.WhenAll(ids.Select(async id =>
            (await world.Ops.PostJsonAsync("/api/customers", World.CustomerBody(id, distributorId))).Expect(HttpStatusCode.Created)));
        return ids;
    }

    /// <summary>A distributor of this world's city that holds none of its stock, created through the API.</summary>
    public static async Task<string> ThirdDistributorAsync(this World world)
    {
        var id = $"d-{world.Tag}-third";
        (await world.Ops.PostJsonAsync("/api/distributors", World.DistributorBody(id, 30.60, 114.20, priority: 3))).Expect(HttpStatusCode.Created);
        return id;
    }

    /// <summary>Places a campaign order of <paramref name="quantity"/> for the customer and has ops confirm and ship it:
    /// (orderId, the distributor that shipped it).</summary>
    public static async Task<(string OrderId, string DistributorId)> ShippedOrderAsync(this World world, string customerId, int quantity)
    {
        var order = (await world.OrderAsync(customerId, quantity)).Expect(HttpStatusCode.Created);
        Assert.True((string?)order["status"] == "Allocated", $"expected an allocated order, got {order.ToJsonString()}");
        var id = (string)order["orderId"]!;
        await world.ShipAsync(id);
        return (id, (string)order["allocations"]![0]!["distributorId"]!);
    }

    public static async Task ShipAsync(this World world, string orderId)
    {
        (await world.Ops.PostJsonAsync($"/api/orders/{orderId}/confirm", null)).Expect(HttpStatusCode.OK);
        Assert.Equal("Shipped", (string?)(await world.Ops.PostJsonAsync($"/api/orders/{orderId}/ship", null)).Expect(HttpStatusCode.OK)["status"]);
    }

    public static string Code(this Reply reply, HttpStatusCode status) => (string)reply.ExpectProblem(status)["code"]!;

    public static bool Replayed(this Reply reply) =>
        reply.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Single() == "true";
}
