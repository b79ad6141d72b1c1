using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Routing.Tests.Api;

/// <summary>The stock statement (OPERATIONS.md "Ledger summary"): per SKU and period, opening + ins − outs = closing
/// exactly, checked against a seeded random sequence of receipts, adjustments, reservations, cancellations, shipments,
/// transfers (requested, cancelled, dispatched, received short), returns (damaged, exchanged) and stocktakes, with the
/// period split anywhere; the same checks run on PostgreSQL (<c>Postgres/PostgresApiTests</c>).</summary>
[Collection(ApiCollection.Name)]
public sealed class LedgerSummaryTests(ApiFactory api)
{
    private static readonly string[] Columns = ["opening", "received", "shipped", "returned", "transferredIn", "transferredOut", "adjusted", "writtenOff", "closing", "reserved", "released"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public Task The_statement_adds_up_for_any_sequence_of_movements_and_any_split_of_the_period(int seed) => CheckAsync(api, seed);

    [Fact]
    public async Task The_statement_is_the_distributors_own_and_refuses_a_bad_period_or_format()
    {
        var world = await World.CreateAsync(api);
        var path = $"/api/distributors/{world.DistributorA}/ledger/summary";
        (await world.AsDistributor(world.DistributorA).GetJsonAsync(path)).Expect(HttpStatusCode.OK);
        (await world.AsDistributor(world.DistributorB).GetJsonAsync(path)).ExpectProblem(HttpStatusCode.NotFound);
        (await world.AsCustomer(world.CustomerX).GetJsonAsync(path)).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal("badFormat", (string?)(await world.Ops.GetJsonAsync($"{path}?format=xml")).ExpectProblem(HttpStatusCode.BadRequest)["code"]);
        Assert.Equal("badRange", (string?)(await world.Ops.GetJsonAsync($"{path}?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z"))
            .ExpectProblem(HttpStatusCode.BadRequest)["code"]);
        (await world.Ops.GetJsonAsync($"/api/distributors/d-none/ledger/summary")).ExpectProblem(HttpStatusCode.NotFound);
    }

    /// <summary>Drives a seeded random sequence of stock movements at two distributors through the API, then checks the
    /// statement over the whole time and over two halves split at a moment in the middle.</summary>
    internal static async Task CheckAsync(ApiFactory api, int seed)
    {
        var start = DateTimeOffset.UtcNow;
        var world = await World.CreateAsync(api, stockA: 40, stockB: 40);
        var random = new Random(seed);
        var customers = await world.CustomersAsync(6);
        var open = new List<string>();
        var shipped = new List<string>();
        var transfers = new List<(string Id, string Status, int Quantity)>();
        DateTimeOffset middle = default;
        string AnyDistributor() => random.Next(2) == 0 ? world.DistributorA : world.DistributorB;
        for (var step = 0; step < 60; step++)
        {
            if (step == 30)
            {
                await Task.Delay(20);
                middle = DateTimeOffset.UtcNow;
                await Task.Delay(20);
            }
            switch (random.Next(8))
            {
                case 0:
                    // A receipt or an adjustment by hand, never below what is reserved.
                    var distributor = AnyDistributor();
                    var reserved = (int)(await world.StockAsync(distributor))["reserved"]!;
                    await world.SetStockAsync(distributor, reserved + random.Next(0, 60), threshold: 0);
                    break;
                case 1:
                    var placed = await world.OrderAsync(customers[random.Next(customers.Length)], random.Next(1, 6));
                    if (placed.Status == HttpStatusCode.Created && (string?)placed.Json["status"] == "Allocated") open.Add((string)placed.Json["orderId"]!);
                    break;
                case 2 when open.Count > 0:
                    (await world.Ops.PostJsonAsync($"/api/orders/{Take(open, random)}/cancel", new { reason = "test" })).Expect(HttpStatusCode.OK);
                    break;
                case 3 when open.Count > 0:
                    var id = Take(open, random);
                    (await world.Ops.PostJsonAsync($"/api/orders/{id}/confirm", null)).Expect(HttpStatusCode.OK);
                    (await world.Ops.PostJsonAsync($"/api/orders/{id}/ship", null)).Expect(HttpStatusCode.OK);
                    shipped.Add(id);
                    break;
                case 4:
                    // A transfer either way; not enough available is refused and changes nothing.
                    var from = AnyDistributor();
                    var quantity = random.Next(1, 15);
                    var requested = await world.Ops.PostJsonAsync("/api/transfers", new
                    {
                        fromDistributorId = from, toDistributorId = from == world.DistributorA ? world.DistributorB : world.DistributorA,
                        sku = world.Sku, quantity,
                    }, Guid.NewGuid().ToString());
                    if (requested.Status == HttpStatusCode.Created) transfers.Add(((string)requested.Json["transferId"]!, "Requested", quantity));
                    else requested.ExpectProblem(HttpStatusCode.Conflict);
                    break;
                case 5 when transfers.Exists(t => t.Status is "Requested" or "InTransit"):
                    var movable = transfers.FindAll(t => t.Status is "Requested" or "InTransit");
                    var transfer = movable[random.Next(movable.Count)];
                    var (step5, body) = transfer.Status == "InTransit" ? ("receive", (object?)new { receivedQuantity = random.Next(0, transfer.Quantity + 1) })
                        : random.Next(3) == 0 ? ("cancel", null) : ("dispatch", null);
                    var moved = (await world.Ops.PostJsonAsync($"/api/transfers/{transfer.Id}/{step5}", body)).Expect(HttpStatusCode.OK);
                    transfers[transfers.IndexOf(transfer)] = transfer with { Status = (string)moved["status"]! };
                    break;
                case 6 when shipped.Count > 0:
                    // A return of part of a shipped order, received with some units damaged; sometimes an exchange.
                    var order = (await world.Ops.GetJsonAsync($"/api/orders/{Take(shipped, random)}")).Expect(HttpStatusCode.OK);
                    var back = random.Next(1, (int)order["lines"]![0]!["quantity"]! + 1);
                    var asked = (await world.Ops.PostJsonAsync($"/api/orders/{(string)order["orderId"]!}/returns",
                        new { lines = new[] { new { sku = world.Sku, quantity = back } }, reason = "test", exchange = random.Next(2) == 0 },
                        Guid.NewGuid().ToString())).Expect(HttpStatusCode.Created);
                    var damaged = random.Next(0, back + 1);
                    (await world.Ops.PostJsonAsync($"/api/returns/{(string)asked["returnId"]!}/receive",
                        new { lines = new[] { new { sku = world.Sku, resellable = back - damaged, damaged } } })).Expect(HttpStatusCode.OK);
                    break;
                case 7:
                    // A stocktake counted now, a few units off; one below what is reserved is not applied.
                    var counted = AnyDistributor();
                    var onHandNow = (int)(await world.StockAsync(counted))["onHand"]!;
                    (await world.Ops.PostJsonAsync($"/api/distributors/{counted}/stocktakes",
                        new { countedAt = DateTimeOffset.UtcNow, lines = new[] { new { sku = world.Sku, counted = Math.Max(0, onHandNow + random.Next(-5, 6)) } } },
                        Guid.NewGuid().ToString())).Expect(HttpStatusCode.Created);
                    break;
            }
        }

        var end = DateTimeOffset.UtcNow.AddMinutes(1);
        var seen = new Dictionary<string, int>();
        foreach (var distributor in new[] { world.DistributorA, world.DistributorB })
        {
            var stock = await world.StockAsync(distributor);
            var (onHand, reservedNow) = ((int)stock["onHand"]!, (int)stock["reserved"]!);
            // The ledger is appended behind the grain's own write: wait until it has caught up with the stock.
            var whole = await Eventually.UntilAsync(() => RowAsync(world, distributor, start, end), r => (int)r["closing"]! == onHand,
                $"{distributor}'s statement to close at its on hand, {onHand}");
            Assert.Equal(0, (int)whole["opening"]!); // a new SKU: nothing before the world was made
            foreach (var column in Columns) seen[column] = seen.GetValueOrDefault(column) + Math.Abs((int)whole[column]!);
            Assert.Equal((int)whole["closing"]!, (int)whole["opening"]! + Ins(whole) - Outs(whole));
            // Shipments and dispatched transfers take their units off reserved as they leave.
            Assert.Equal(reservedNow, (int)whole["reserved"]! - (int)whole["released"]! - (int)whole["shipped"]! - (int)whole["transferredOut"]!);

            var first = await RowAsync(world, distributor, start, middle);
            var second = await RowAsync(world, distributor, middle, end);
            Assert.Equal((int)first["closing"]!, (int)second["opening"]!);
            foreach (var part in new[] { first, second })
                Assert.Equal((int)part["closing"]!, (int)part["opening"]! + Ins(part) - Outs(part));
            foreach (var column in Columns.Except(["opening", "closing"]))
                Assert.Equal((int)whole[column]!, (int)first[column]! + (int)second[column]!);

            // The CSV says the same.
            var csv = await world.Ops.GetJsonAsync($"{Path(distributor, start, end)}&format=csv");
            Assert.Equal((HttpStatusCode.OK, "text/csv"), (csv.Status, csv.ContentType));
            var lines = csv.Text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("sku," + string.Join(',', Columns), lines[0]);
            Assert.Equal(string.Join(',', Columns.Select(c => ((int)whole[c]!).ToString(CultureInfo.InvariantCulture)).Prepend(world.Sku)),
                lines.Single(l => l.StartsWith(world.Sku + ",", StringComparison.Ordinal)));
        }
        // The sequence moved stock in every way the statement counts (so the sums above were put to the test).
        Assert.All(Columns.Except(["opening"]), column => Assert.True(seen[column] > 0, $"no {column} in the sequence of seed {seed}"));
    }

    private static string Take(List<string> open, Random random)
    {
        var i = random.Next(open.Count);
        var id = open[i];
        open.RemoveAt(i);
        return id;
    }

    private static int Ins(JsonNode row) => (int)row["received"]! + (int)row["returned"]! + (int)row["transferredIn"]! + (int)row["adjusted"]!;
    private static int Outs(JsonNode row) => (int)row["shipped"]! + (int)row["transferredOut"]! + (int)row["writtenOff"]!;

    private static string Path(string distributor, DateTimeOffset from, DateTimeOffset to) =>
        $"/api/distributors/{distributor}/ledger/summary?from={Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(to.ToString("O", CultureInfo.InvariantCulture))}";

    private static async Task<JsonNode> RowAsync(World world, string distributor, DateTimeOffset from, DateTimeOffset to)
    {
        var rows = (await world.Ops.GetJsonAsync(Path(distributor, from, to))).Expect(HttpStatusCode.OK).AsArray();
        return rows.Single(r => (string?)r!["sku"] == world.Sku)!;
    }
}
