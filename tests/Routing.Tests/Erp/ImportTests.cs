using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Routing.Api.Auth;
using Routing.Tests.Api;

namespace Routing.Tests.Erp;

/// <summary>SAP imports (OPERATIONS.md "ERP", issue 14): JSON or CSV, each row checked by the REST API's rules (good rows
/// apply, bad ones are reported by number and code), streamed in chunks with progress visible, and the same batchId again
/// the same import, applied once.</summary>
[Collection(ApiCollection.Name)]
public sealed class ImportTests(ApiFactory api)
{
    private static async Task<JsonNode> ImportAsync(HttpClient client, object body) =>
        (await client.PostJsonAsync("/api/erp/imports", body)).Expect(HttpStatusCode.Accepted);

    private static Task<Reply> CsvAsync(HttpClient client, string kind, string batchId, string csv) =>
        client.SendJsonAsync(HttpMethod.Post, $"/api/erp/imports?kind={kind}&batchId={batchId}", csv, contentType: "text/csv");

    private static (int Total, int Applied, int Unchanged, int Rejected) Counts(JsonNode view) =>
        ((int)view["total"]!, (int)view["applied"]!, (int)view["unchanged"]!, (int)view["rejectedCount"]!);

    private static List<(int Row, string Code)> Rejections(JsonNode view) =>
        [.. view["rejected"]!.AsArray().Select(r => ((int)r!["row"]!, (string)r["code"]!))];

    [Fact]
    public Task A_stock_import_applies_good_rows_reports_bad_ones_and_a_batch_sent_again_counts_once() => StockImportAsync(api);

    /// <summary>Also run on PostgreSQL (<c>Postgres/PostgresApiTests</c>).</summary>
    internal static async Task StockImportAsync(ApiFactory api)
    {
        var world = await World.CreateAsync(api, stockA: 100, stockB: 100, threshold: 10);
        using var erp = api.Client(api.Token(Roles.Erp));
        (await world.OrderAsync(world.CustomerX, 30)).Expect(HttpStatusCode.Created);
        Assert.Equal(30, (int)(await world.StockAsync(world.DistributorA))["reserved"]!);

        var batch = $"stock-{world.Tag}";
        var rows = new JsonArray(
            Row(world.DistributorA, world.Sku, 260, 20),               // 1 applied
            Row(world.DistributorB, world.Sku, 100, 10),               // 2 unchanged
            Row($"d-nobody-{world.Tag}", world.Sku, 5, 1),             // 3 unknownDistributor
            Row(world.DistributorA, $"NOPE-{world.Tag}", 5, 1),         // 4 unknownProduct
            JsonNode.Parse($$"""{"distributorId":"{{world.DistributorA}}","sku":"{{world.Sku}}","onHand":"7","threshold":1}"""), // 5 number as string
            Row(world.DistributorB, world.Sku, -1, 1),                 // 6 validationFailed
            JsonNode.Parse($$"""{"distributorId":"{{world.DistributorA}}","sku":"{{world.Sku}}","onHand":1,"threshold":1,"extra":1}"""), // 7 unknown field
            Row(world.DistributorB, world.Sku, 0, 10));                // 8 applied (nothing reserved at B)
        var view = await ImportAsync(erp, new JsonObject { ["batchId"] = batch, ["kind"] = "stock", ["rows"] = rows });
        Assert.Equal((batch, "stock", "Completed"), ((string)view["importId"]!, (string)view["kind"]!, (string)view["status"]!));
        Assert.Equal((8, 2, 1, 5), Counts(view));
        Assert.Equal([(3, "unknownDistributor"), (4, "unknownProduct"), (5, "invalidRow"), (6, "validationFailed"), (7, "invalidRow")], Rejections(view));

        var a = await world.StockAsync(world.DistributorA);
        Assert.Equal((260, 20, 30), ((int)a["onHand"]!, (int)a["threshold"]!, (int)a["reserved"]!));
        Assert.Equal(0, (int)(await world.StockAsync(world.DistributorB))["onHand"]!);
        var ledger = (await world.Ops.GetJsonAsync($"/api/distributors/{world.DistributorA}/ledger?pageSize=500")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Single(ledger, m => (string?)m!["kind"] == "Receive" && (int)m["quantity"]! == 160);

        // Below what is reserved: refused for that row, as PUT …/inventory refuses it; the rest of the batch applies.
        var below = await ImportAsync(erp, new JsonObject
        {
            ["batchId"] = $"{batch}-below", ["kind"] = "stock",
            ["rows"] = new JsonArray(Row(world.DistributorA, world.Sku, 29, 20), Row(world.DistributorB, world.Sku, 50, 10)),
        });
        Assert.Equal((2, 1, 0, 1), Counts(below));
        Assert.Equal([(1, "belowReserved")], Rejections(below));
        Assert.Equal(260, (int)(await world.StockAsync(world.DistributorA))["onHand"]!);

        // The same batch again is the same import: answered as it ended, nothing applied twice (even with other rows).
        var again = await ImportAsync(erp, new JsonObject { ["batchId"] = batch, ["kind"] = "stock", ["rows"] = new JsonArray(Row(world.DistributorA, world.Sku, 999, 1)) });
        Assert.Equal(view.ToJsonString(), again.ToJsonString());
        Assert.Equal(260, (int)(await world.StockAsync(world.DistributorA))["onHand"]!);
        Assert.Equal(view.ToJsonString(), (await erp.GetJsonAsync($"/api/erp/imports/{batch}")).Expect(HttpStatusCode.OK).ToJsonString());
        // Another kind under the same batch id is refused.
        Assert.Equal("batchIdReused", (string?)(await erp.PostJsonAsync("/api/erp/imports",
            new { batchId = batch, kind = "products", rows = Array.Empty<object>() })).ExpectProblem(HttpStatusCode.UnprocessableEntity)["code"]);
    }

    private static JsonObject Row(string distributorId, string sku, int onHand, int threshold) =>
        new() { ["distributorId"] = distributorId, ["sku"] = sku, ["onHand"] = onHand, ["threshold"] = threshold };

    [Fact]
    public async Task Master_data_imports_in_csv_name_the_json_fields_in_their_header()
    {
        var world = await World.CreateAsync(api);
        using var erp = api.Client(api.Token(Roles.Erp));
        var (sku, sub) = ($"DAP-{world.Tag}", $"DAP-{world.Tag}-b");
        var products = (await CsvAsync(erp, "products", $"p-{world.Tag}",
            $"sku,name,unit,substitutes\n{sku},\"DAP 50 kg, granular\",bag,{sub};{world.Sku}\n{sub},DAP blend,bag,\nbad sku,x,bag,\n{world.Sku}-self,Self,bag,{world.Sku}-self\n"))
            .Expect(HttpStatusCode.Accepted);
        Assert.Equal((4, 2, 0, 2), Counts(products));
        Assert.Equal([(3, "validationFailed"), (4, "invalidSubstitute")], Rejections(products));
        var product = (await world.Ops.GetJsonAsync($"/api/products/{sku}")).Expect(HttpStatusCode.OK);
        Assert.Equal("DAP 50 kg, granular", (string?)product["name"]);
        Assert.Equal([sub, world.Sku], product["substitutes"]!.AsArray().Select(s => (string)s!));

        var distributor = $"d-{world.Tag}-csv";
        var distributors = (await CsvAsync(erp, "distributors", $"d-{world.Tag}",
            $"id,name,regions,location.lat,location.lon,priority,dailyCapacity,active\n{distributor},Hanyang 汉阳农资,420105;420106,30.55,114.27,3,800,true\n"))
            .Expect(HttpStatusCode.Accepted);
        Assert.Equal((1, 1, 0, 0), Counts(distributors));
        var created = (await world.Ops.GetJsonAsync($"/api/distributors/{distributor}")).Expect(HttpStatusCode.OK);
        Assert.Equal(("Hanyang 汉阳农资", 30.55, 800), ((string)created["name"]!, (double)created["location"]!["lat"]!, (int)created["dailyCapacity"]!));

        var customer = $"c-{world.Tag}-csv";
        var customers = (await CsvAsync(erp, "customers", $"c-{world.Tag}",
            $"id,name,region,location.lat,location.lon,homeDistributorId\n{customer},Li Wei,420106,30.5,114.3,{distributor}\n" +
            $"{customer}-2,Wang,420106,30.5,114.3,d-{world.Tag}-missing\n{customer}-3,Zhao,420106,north,114.3,\n{customer}-4,Short,420106\n"))
            .Expect(HttpStatusCode.Accepted);
        Assert.Equal((4, 1, 0, 3), Counts(customers));
        Assert.Equal([(2, "unknownDistributor"), (3, "invalidRow"), (4, "invalidRow")], Rejections(customers));
        Assert.Equal(distributor, (string?)(await world.Ops.GetJsonAsync($"/api/customers/{customer}")).Expect(HttpStatusCode.OK)["homeDistributorId"]);

        // A header naming a field the kind does not have refuses the whole body, before any row: nothing is recorded.
        Assert.Equal("unknownColumn", (string?)(await CsvAsync(erp, "customers", $"c-{world.Tag}-bad", $"id,name,colour\n{customer}-9,X,red\n"))
            .ExpectProblem(HttpStatusCode.BadRequest)["code"]);
        (await erp.GetJsonAsync($"/api/erp/imports/c-{world.Tag}-bad")).ExpectProblem(HttpStatusCode.NotFound);
        (await world.Ops.GetJsonAsync($"/api/customers/{customer}-9")).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_requests_are_refused_whole_and_only_erp_and_ops_may_import()
    {
        var world = await World.CreateAsync(api);
        using var erp = api.Client(api.Token(Roles.Erp));
        var body = new { batchId = $"x-{world.Tag}", kind = "stock", rows = Array.Empty<object>() };
        (await world.AsCustomer(world.CustomerX).PostJsonAsync("/api/erp/imports", body)).ExpectProblem(HttpStatusCode.Forbidden);
        (await world.AsDistributor(world.DistributorA).PostJsonAsync("/api/erp/imports", body)).ExpectProblem(HttpStatusCode.Forbidden);
        (await world.AsDistributor(world.DistributorA).GetJsonAsync($"/api/erp/imports/x-{world.Tag}")).ExpectProblem(HttpStatusCode.Forbidden);

        static async Task<string?> CodeAsync(Reply reply, HttpStatusCode status) => (string?)reply.ExpectProblem(status)["code"];
        Assert.Equal("badKind", await CodeAsync(await erp.PostJsonAsync("/api/erp/imports", new { batchId = $"x-{world.Tag}", kind = "pets", rows = Array.Empty<object>() }), HttpStatusCode.BadRequest));
        Assert.Equal("batchIdRequired", await CodeAsync(await erp.PostJsonAsync("/api/erp/imports", new { kind = "stock", rows = new[] { new { a = 1 } } }), HttpStatusCode.BadRequest));
        Assert.Equal("invalidBatchId", await CodeAsync(await erp.PostJsonAsync("/api/erp/imports", new { batchId = "no spaces", kind = "stock", rows = Array.Empty<object>() }), HttpStatusCode.BadRequest));
        Assert.Equal("invalidJson", await CodeAsync(await erp.PostJsonAsync("/api/erp/imports", $$"""{"batchId":"x-{{world.Tag}}","kind":"stock","colour":1,"rows":[]}"""), HttpStatusCode.BadRequest));
        Assert.Equal("invalidJson", await CodeAsync(await erp.PostJsonAsync("/api/erp/imports", $$"""{"batchId":"x-{{world.Tag}}","batchId":"y","kind":"stock","rows":[]}"""), HttpStatusCode.BadRequest));
        Assert.Equal("batchIdRequired", await CodeAsync(await CsvAsync(erp, "stock", "", "distributorId\n"), HttpStatusCode.BadRequest));
        Assert.Equal("unsupportedMediaType", await CodeAsync(await erp.SendJsonAsync(HttpMethod.Post, "/api/erp/imports", "a", contentType: "text/plain"),
            HttpStatusCode.UnsupportedMediaType));
        // None of them began an import.
        (await erp.GetJsonAsync($"/api/erp/imports/x-{world.Tag}")).ExpectProblem(HttpStatusCode.NotFound);
        // An empty batch is a batch: completed with nothing in it. Ops may import too.
        var empty = (await world.Ops.PostJsonAsync("/api/erp/imports", body)).Expect(HttpStatusCode.Accepted);
        Assert.Equal(("Completed", 0), ((string)empty["status"]!, (int)empty["total"]!));
        Assert.Contains((await erp.GetJsonAsync("/api/erp/imports?pageSize=200")).Expect(HttpStatusCode.OK).AsArray(), i => (string?)i!["importId"] == $"x-{world.Tag}");
    }

    [Fact]
    public async Task A_large_import_streams_in_chunks_shows_progress_while_running_and_carries_on_after_a_break()
    {
        var world = await World.CreateAsync(api);
        using var erp = api.Client(api.Token(Roles.Erp));
        const int products = 2500;
        string Sku(int i) => $"K-{world.Tag}-{i:D5}";
        var productRows = Enumerable.Range(1, products).Select(i => $$"""{"sku":"{{Sku(i)}}","name":"Potash {{i}}","unit":"bag"}""").ToList();

        // The body arrives in two parts; the first is applied (and its progress visible) before the second is sent.
        var batch = $"k-{world.Tag}";
        var secondPart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var content = new TwoPartContent(
            $$"""{"batchId":"{{batch}}","kind":"products","rows":[{{string.Join(',', productRows.Take(1500))}},""",
            $$"""{{string.Join(',', productRows.Skip(1500))}}]}""", secondPart.Task);
        content.Headers.ContentType = new("application/json");
        // Straight to the test server's handler: the factory's default client buffers a request body (to follow redirects).
        using var streaming = new HttpClient(api.Server.CreateHandler()) { BaseAddress = api.Server.BaseAddress };
        streaming.DefaultRequestHeaders.Authorization = erp.DefaultRequestHeaders.Authorization;
        var upload = streaming.PostAsync("/api/erp/imports", content);
        var running = (await Eventually.UntilAsync(() => erp.GetJsonAsync($"/api/erp/imports/{batch}"),
            r => r.Status == HttpStatusCode.OK && (int)r.Json["applied"]! >= 1000, "the first chunk to be applied while the body is still arriving")).Json;
        Assert.Equal("Running", (string?)running["status"]);
        Assert.False(upload.IsCompleted);
        secondPart.SetResult();
        using var done = await upload;
        Assert.Equal(HttpStatusCode.Accepted, done.StatusCode);
        var view = JsonNode.Parse(await done.Content.ReadAsStringAsync())!;
        Assert.Equal(("Completed", products, products), ((string)view["status"]!, (int)view["total"]!, (int)view["applied"]!));

        // A stock import of 2,500 rows breaks off after row 1,800 (malformed there): the rows before it are applied and
        // the import is marked Failed; sent again whole, it carries on after what it saved, counting no row twice.
        var stockRows = Enumerable.Range(1, products)
            .Select(i => $$"""{"distributorId":"{{(i % 2 == 0 ? world.DistributorA : world.DistributorB)}}","sku":"{{Sku(i)}}","onHand":{{i}},"threshold":1}""")
            .ToList();
        var stockBatch = $"ks-{world.Tag}";
        var broken = $$"""{"batchId":"{{stockBatch}}","kind":"stock","rows":[{{string.Join(',', stockRows.Take(1800))}},{"distributorId":]}""";
        Assert.Equal("invalidJson", (string?)(await erp.PostJsonAsync("/api/erp/imports", broken)).ExpectProblem(HttpStatusCode.BadRequest)["code"]);
        var failed = (await erp.GetJsonAsync($"/api/erp/imports/{stockBatch}")).Expect(HttpStatusCode.OK);
        Assert.Equal(("Failed", 1800, 1800), ((string)failed["status"]!, (int)failed["total"]!, (int)failed["applied"]!));
        Assert.False(string.IsNullOrEmpty((string?)failed["failure"]));

        var whole = $$"""{"batchId":"{{stockBatch}}","kind":"stock","rows":[{{string.Join(',', stockRows)}}]}""";
        var resumed = (await erp.PostJsonAsync("/api/erp/imports", whole)).Expect(HttpStatusCode.Accepted);
        Assert.Equal(("Completed", products, products, 0), ((string)resumed["status"]!, (int)resumed["total"]!, (int)resumed["applied"]!, (int)resumed["unchanged"]!));
        var imported = new List<JsonNode>();
        for (var page = 1; ; page++)
        {
            var items = (await world.Ops.GetJsonAsync($"/api/distributors/{world.DistributorA}/inventory?pageSize=200&page={page}")).Expect(HttpStatusCode.OK).AsArray();
            imported.AddRange(items.Where(i => ((string)i!["sku"]!).StartsWith($"K-{world.Tag}", StringComparison.Ordinal)).Select(i => i!));
            if (items.Count < 200) break;
        }
        Assert.Equal(products / 2, imported.Count);
        Assert.All(imported, item => Assert.Equal(int.Parse(((string)item["sku"]!)[^5..], System.Globalization.CultureInfo.InvariantCulture), (int)item["onHand"]!));
    }

    [Fact]
    public async Task Stock_imports_racing_a_flash_sale_never_take_on_hand_below_reserved()
    {
        var world = await World.CreateAsync(api, stockA: 60, stockB: 0, threshold: 0);
        using var erp = api.Client(api.Token(Roles.Erp));
        var customers = new[] { world.CustomerX }.Concat(await world.CustomersAsync(5)).ToList();
        var until = DateTimeOffset.UtcNow.AddSeconds(3);
        var sale = Task.WhenAll(customers.Select(async customer =>
        {
            for (var n = 0; DateTimeOffset.UtcNow < until; n++) await world.OrderAsync(customer, 2, $"race-{n}");
        }));
        // SAP's counts arrive while the sale goes on, some of them below what the sale has reserved by then.
        var levels = new List<int>();
        for (var i = 0; DateTimeOffset.UtcNow < until; i++)
        {
            var onHand = 70 - (i * 17 % 60); // the first (70) is above anything 60 units could have reserved: it applies
            var view = await ImportAsync(erp, new JsonObject
            {
                ["batchId"] = $"race-{world.Tag}-{i}", ["kind"] = "stock",
                ["rows"] = new JsonArray(Row(world.DistributorA, world.Sku, onHand, 0)),
            });
            if ((int)view["applied"]! == 1) levels.Add(onHand);
            else if ((int)view["unchanged"]! == 0) Assert.Equal([(1, "belowReserved")], Rejections(view));
        }
        await sale;

        Assert.NotEmpty(levels);
        var stock = await world.StockAsync(world.DistributorA);
        Assert.True((int)stock["reserved"]! <= (int)stock["onHand"]!, $"reserved {stock["reserved"]} > on hand {stock["onHand"]}");
        // Every movement left reserved within on hand, whichever came first.
        var ledger = (await world.Ops.GetJsonAsync($"/api/distributors/{world.DistributorA}/ledger?pageSize=500")).Expect(HttpStatusCode.OK).AsArray();
        Assert.All(ledger, m => Assert.True((int)m!["reservedAfter"]! <= (int)m["onHandAfter"]!, m.ToJsonString()));
    }

    [Fact]
    public async Task A_json_file_saved_with_a_byte_order_mark_imports_like_any_other()
    {
        var world = await World.CreateAsync(api);
        using var erp = api.Client(api.Token(Roles.Erp));
        var json = $$"""{"batchId":"bom-{{world.Tag}}","kind":"stock","rows":[{"distributorId":"{{world.DistributorA}}","sku":"{{world.Sku}}","onHand":321,"threshold":4}]}""";
        using var content = new ByteArrayContent([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(json)]);
        content.Headers.ContentType = new("application/json");
        using var reply = await erp.PostAsync("/api/erp/imports", content);
        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        Assert.Equal((1, 1, 0, 0), Counts(JsonNode.Parse(await reply.Content.ReadAsStringAsync())!));
        Assert.Equal(321, (int)(await world.StockAsync(world.DistributorA))["onHand"]!);
    }

    /// <summary>A body sent in two parts, the second only once <paramref name="second"/> allows it.</summary>
    private sealed class TwoPartContent(string first, string rest, Task second) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(first));
            await stream.FlushAsync();
            await second;
            await stream.WriteAsync(Encoding.UTF8.GetBytes(rest));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
