using System.Net;
using System.Text.Json.Nodes;
using Routing.Api.Auth;
using Routing.Tests.Api;

namespace Routing.Tests.Erp;

/// <summary>Reconciliation, SAP wins (OPERATIONS.md "ERP"): SAP's on hand as of a time against the ledger's at that time,
/// the difference posted today with the movements since kept and reservations never broken; idempotent by snapshotId.</summary>
[Collection(ApiCollection.Name)]
public sealed class ReconciliationTests(ApiFactory api)
{
    private static object Snapshot(string id, DateTimeOffset asOf, int tolerance, params (string Distributor, string Sku, int OnHand)[] rows) =>
        new { snapshotId = id, asOf, tolerance, rows = rows.Select(r => new { distributorId = r.Distributor, sku = r.Sku, onHand = r.OnHand }).ToArray() };

    private static async Task<JsonNode> ReconcileAsync(HttpClient erp, object snapshot, string id)
    {
        (await erp.PostJsonAsync("/api/erp/stock-snapshots", snapshot)).Expect(HttpStatusCode.Accepted);
        return await Eventually.UntilAsync(async () => (await erp.GetJsonAsync($"/api/erp/stock-snapshots/{id}")).Expect(HttpStatusCode.OK),
            s => (string?)s["status"] == "Completed", $"snapshot {id} to be reconciled");
    }

    private static async Task<List<JsonNode>> AlertsAsync(World world, string kind) =>
        [.. (await world.Ops.GetJsonAsync("/api/alerts?pageSize=500")).Expect(HttpStatusCode.OK).AsArray()
            .Where(a => (string?)a!["kind"] == kind && ((string?)a["dedupeKey"])!.Contains(world.Tag, StringComparison.Ordinal)).Select(a => a!)];

    [Fact]
    public Task Sap_wins_as_of_its_count_and_the_sales_made_since_are_kept() => SapWinsAsync(api);

    /// <summary>Also run on PostgreSQL (<c>Postgres/PostgresApiTests</c>).</summary>
    internal static async Task SapWinsAsync(ApiFactory api)
    {
        var world = await World.CreateAsync(api, stockA: 100, stockB: 100);
        using var erp = api.Client(api.Token(Roles.Erp));
        var asOf = DateTimeOffset.UtcNow;
        await Task.Delay(10);
        // After SAP counted: an order ships 5 from A.
        var order = (await world.OrderAsync(world.CustomerX, 5)).Expect(HttpStatusCode.Created);
        var orderId = (string)order["orderId"]!;
        (await world.Ops.PostJsonAsync($"/api/orders/{orderId}/confirm", null)).Expect(HttpStatusCode.OK);
        (await world.Ops.PostJsonAsync($"/api/orders/{orderId}/ship", null)).Expect(HttpStatusCode.OK);
        Assert.Equal(95, (int)(await world.StockAsync(world.DistributorA))["onHand"]!);

        var id = $"snap-{world.Tag}";
        var done = await ReconcileAsync(erp, Snapshot(id, asOf, 0, (world.DistributorA, world.Sku, 90), (world.DistributorB, world.Sku, 100)), id);
        Assert.Equal((2, 2, 1), ((int)done["rows"]!, (int)done["processed"]!, (int)done["matched"]!));
        var difference = done["differences"]!.AsArray().Single()!;
        Assert.Equal((world.DistributorA, 100, 90, -10, -10, false),
            ((string)difference["distributorId"]!, (int)difference["ours"]!, (int)difference["sap"]!, (int)difference["difference"]!,
             (int)difference["applied"]!, (bool)difference["shortfall"]!));
        // SAP's 90 at its count, less the 5 shipped since.
        Assert.Equal(85, (int)(await world.StockAsync(world.DistributorA))["onHand"]!);
        Assert.Single(await AlertsAsync(world, "ReconciliationDifference"));

        // The same snapshot again is the same one: nothing posted twice. The same id with other rows is refused.
        (await erp.PostJsonAsync("/api/erp/stock-snapshots", Snapshot(id, asOf, 0, (world.DistributorA, world.Sku, 90), (world.DistributorB, world.Sku, 100))))
            .Expect(HttpStatusCode.Accepted);
        Assert.Equal(85, (int)(await world.StockAsync(world.DistributorA))["onHand"]!);
        Assert.Equal("snapshotIdReused", (string?)(await erp.PostJsonAsync("/api/erp/stock-snapshots",
            Snapshot(id, asOf, 0, (world.DistributorA, world.Sku, 80)))).ExpectProblem(HttpStatusCode.UnprocessableEntity)["code"]);
        var ledger = (await world.Ops.GetJsonAsync($"/api/distributors/{world.DistributorA}/ledger?pageSize=500")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Single(ledger, m => (string?)m!["kind"] == "ErpAdjust");
        // The list of snapshots (the console's reconciliation reports) has it, as GET has it.
        var listed = (await erp.GetJsonAsync("/api/erp/stock-snapshots?status=Completed&pageSize=200")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Equal(done.ToJsonString(), listed.Single(s => (string?)s!["snapshotId"] == id)!.ToJsonString());
    }

    [Fact]
    public async Task A_snapshot_below_what_is_reserved_goes_down_to_reserved_only_and_names_the_orders_at_risk()
    {
        var world = await World.CreateAsync(api, stockA: 100, stockB: 100);
        using var erp = api.Client(api.Token(Roles.Erp));
        var held = (await world.OrderAsync(world.CustomerX, 40)).Expect(HttpStatusCode.Created);
        var heldId = (string)held["orderId"]!;
        Assert.Equal(40, (int)(await world.StockAsync(world.DistributorA))["reserved"]!);

        var id = $"short-{world.Tag}";
        var done = await ReconcileAsync(erp, Snapshot(id, DateTimeOffset.UtcNow, 0, (world.DistributorA, world.Sku, 10)), id);
        var difference = done["differences"]!.AsArray().Single()!;
        Assert.Equal((-90, -60, true), ((int)difference["difference"]!, (int)difference["applied"]!, (bool)difference["shortfall"]!));
        Assert.Contains(heldId, difference["ordersAtRisk"]!.AsArray().Select(o => (string?)o));
        var stock = await world.StockAsync(world.DistributorA);
        Assert.Equal((40, 40), ((int)stock["onHand"]!, (int)stock["reserved"]!));
        Assert.Contains(heldId, (string)(await AlertsAsync(world, "ReconciliationShortfall")).Single()["message"]!, StringComparison.Ordinal);
        // The acknowledged order is not broken: it still ships in full.
        (await world.Ops.PostJsonAsync($"/api/orders/{heldId}/confirm", null)).Expect(HttpStatusCode.OK);
        Assert.Equal("Shipped", (string?)(await world.Ops.PostJsonAsync($"/api/orders/{heldId}/ship", null)).Expect(HttpStatusCode.OK)["status"]);
    }

    [Fact]
    public async Task A_difference_within_the_tolerance_is_posted_without_an_alert_and_unknown_distributors_are_reported()
    {
        var world = await World.CreateAsync(api, stockA: 100, stockB: 100);
        var id = $"tol-{world.Tag}";
        var done = await ReconcileAsync(world.Ops, Snapshot(id, DateTimeOffset.UtcNow, 5,
            (world.DistributorA, world.Sku, 103), (world.DistributorB, world.Sku, 90), ($"d-{world.Tag}-unknown", world.Sku, 7)), id);
        Assert.Equal((3, 0), ((int)done["processed"]!, (int)done["matched"]!));
        Assert.Equal(103, (int)(await world.StockAsync(world.DistributorA))["onHand"]!);
        Assert.Equal(90, (int)(await world.StockAsync(world.DistributorB))["onHand"]!);
        var unknown = done["differences"]!.AsArray().Single(d => ((string)d!["distributorId"]!).EndsWith("-unknown", StringComparison.Ordinal))!;
        Assert.Equal(0, (int)unknown["applied"]!);
        // Only B's 10 is beyond the tolerance of 5.
        Assert.Equal([world.DistributorB], (await AlertsAsync(world, "ReconciliationDifference")).Select(a => (string?)a["distributorId"]));
    }

    [Fact]
    public async Task Only_the_erp_and_ops_reconcile_and_a_bad_snapshot_changes_nothing()
    {
        var world = await World.CreateAsync(api, stockA: 100, stockB: 100);
        var body = Snapshot($"auth-{world.Tag}", DateTimeOffset.UtcNow, 0, (world.DistributorA, world.Sku, 1));
        (await world.AsCustomer(world.CustomerX).PostJsonAsync("/api/erp/stock-snapshots", body)).ExpectProblem(HttpStatusCode.Forbidden);
        (await world.AsDistributor(world.DistributorA).PostJsonAsync("/api/erp/stock-snapshots", body)).ExpectProblem(HttpStatusCode.Forbidden);
        (await world.AsDistributor(world.DistributorA).GetJsonAsync($"/api/erp/stock-snapshots/auth-{world.Tag}")).ExpectProblem(HttpStatusCode.Forbidden);
        Assert.Equal("asOfInFuture", (string?)(await world.Ops.PostJsonAsync("/api/erp/stock-snapshots",
            Snapshot($"future-{world.Tag}", DateTimeOffset.UtcNow.AddHours(1), 0, (world.DistributorA, world.Sku, 1)))).ExpectProblem(HttpStatusCode.UnprocessableEntity)["code"]);
        Assert.Equal("duplicateRow", (string?)(await world.Ops.PostJsonAsync("/api/erp/stock-snapshots",
            Snapshot($"dup-{world.Tag}", DateTimeOffset.UtcNow, 0, (world.DistributorA, world.Sku, 1), (world.DistributorA, world.Sku, 2)))).ExpectProblem(HttpStatusCode.UnprocessableEntity)["code"]);
        (await world.Ops.PostJsonAsync("/api/erp/stock-snapshots", new
        {
            snapshotId = $"neg-{world.Tag}", asOf = DateTimeOffset.UtcNow, tolerance = 0,
            rows = new[] { new { distributorId = world.DistributorA, sku = world.Sku, onHand = -1 } }
        })).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Equal(100, (int)(await world.StockAsync(world.DistributorA))["onHand"]!);
    }

    [Fact]
    public async Task A_snapshot_of_tens_of_thousands_of_rows_is_one_request_and_reconciles_every_row()
    {
        var world = await World.CreateAsync(api, stockA: 100, stockB: 100);
        // 30,000 rows (about 2 MB of JSON, beyond the 1 MB of any other request): SKUs A has never held, all zero but one.
        var rows = Enumerable.Range(0, 30_000).Select(i => (world.DistributorA, $"{world.Sku}-x{i}", i == 7 ? 3 : 0)).ToArray();
        var id = $"big-{world.Tag}";
        var done = await ReconcileAsync(world.Ops, Snapshot(id, DateTimeOffset.UtcNow, 0, rows), id);
        Assert.Equal((30_000, 30_000, 29_999), ((int)done["rows"]!, (int)done["processed"]!, (int)done["matched"]!));
        Assert.Equal(3, (int)(await world.Ops.GetJsonAsync($"/api/distributors/{world.DistributorA}/inventory?pageSize=500")).Expect(HttpStatusCode.OK)
            .AsArray().Single(i => (string?)i!["sku"] == $"{world.Sku}-x7")!["onHand"]!);
    }
}
