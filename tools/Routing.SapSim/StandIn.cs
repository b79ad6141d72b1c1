using System.Globalization;
using System.Text.Json;

namespace Routing.SapSim;

/// <summary>What SAP does against Routing, each step printed as it goes: imports (progress while they run, then the
/// rejected rows), stock snapshots (progress, then the reconciliation report) and the demo that strings them together.</summary>
public sealed class StandIn(ErpClient client, TextWriter output)
{
    public TimeSpan PollEvery { get; init; } = TimeSpan.FromMilliseconds(250);

    public async Task<ImportView> ImportAsync(string kind, string batchId, string body, bool csv, int rows, CancellationToken ct)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"== import {kind} ({(csv ? "CSV" : "JSON")}, {rows:N0} rows), batch {batchId}"));
        var view = await client.ImportAsync(kind, batchId, body, csv ? "text/csv" : "application/json", v => output.WriteLine(Report.Progress(v)),
            PollEvery, ct);
        Report.ImportDone(output, view);
        return view;
    }

    /// <summary>An import from a file: CSV or JSON by its extension. A JSON file is either the whole request
    /// (<c>{"batchId", "kind", "rows"}</c>) or just the rows (an array).</summary>
    public Task<ImportView> ImportFileAsync(string kind, string batchId, string file, CancellationToken ct)
    {
        var text = File.ReadAllText(file);
        var csv = Path.GetExtension(file).Equals(".csv", StringComparison.OrdinalIgnoreCase);
        int rows;
        if (csv)
        {
            rows = Math.Max(0, text.Split('\n').Count(l => l.Trim().Length > 0) - 1);
        }
        else
        {
            using var doc = JsonDocument.Parse(text);
            var list = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement : doc.RootElement.GetProperty("rows");
            rows = list.GetArrayLength();
            if (doc.RootElement.ValueKind == JsonValueKind.Array) text = ImportBody(batchId, kind, doc.RootElement);
        }
        return ImportAsync(kind, batchId, text, csv, rows, ct);
    }

    /// <summary>Sends a snapshot, waits for its reconciliation and prints the report.</summary>
    public async Task<SnapshotView> SnapshotAsync(string snapshotId, DateTimeOffset asOf, int tolerance, IReadOnlyList<SnapshotRow> rows, CancellationToken ct)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"== stock snapshot {snapshotId}: {rows.Count:N0} rows as of {asOf:u}, tolerance {tolerance}"));
        await client.SendSnapshotAsync(snapshotId, asOf, tolerance, rows, ct);
        var done = await client.WaitCompletedAsync(snapshotId, v => output.WriteLine(Report.SnapshotProgress(v)), PollEvery, ct);
        Report.Reconciliation(output, done);
        return done;
    }

    /// <summary>A snapshot from a file: <c>{"rows": [...]}</c> or just the rows, or CSV <c>distributorId,sku,onHand</c>.</summary>
    public Task<SnapshotView> SnapshotFileAsync(string file, string? snapshotId, DateTimeOffset asOf, int tolerance, CancellationToken ct)
    {
        var text = File.ReadAllText(file);
        List<SnapshotRow> rows;
        if (Path.GetExtension(file).Equals(".csv", StringComparison.OrdinalIgnoreCase))
        {
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var header = lines[0].Split(',');
            int Column(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new FormatException($"{file}: no '{name}' column");
            var (d, s, o) = (Column("distributorId"), Column("sku"), Column("onHand"));
            rows = [.. lines.Skip(1).Select(l => l.Split(',')).Select(f => new SnapshotRow(f[d], f[s], int.Parse(f[o], CultureInfo.InvariantCulture)))];
        }
        else
        {
            using var doc = JsonDocument.Parse(text);
            var list = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement : doc.RootElement.GetProperty("rows");
            rows = list.Deserialize<List<SnapshotRow>>(ErpClient.Json) ?? [];
            if (snapshotId is null && doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("snapshotId", out var id))
                snapshotId = id.GetString();
        }
        return SnapshotAsync(snapshotId ?? $"sap-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}", asOf, tolerance, rows, ct);
    }

    /// <summary>The demo: master data and stock imported as SAP would (with the bad rows refused), then a stock snapshot
    /// as of the moment the stock import ended with a few differences — one below what is reserved, when any stock is —
    /// reconciled and reported. Answers the imports and the reconciliation.</summary>
    public async Task<(IReadOnlyList<ImportView> Imports, SnapshotView Reconciliation)> DemoAsync(string runId, CancellationToken ct)
    {
        var imports = new List<ImportView>
        {
            await ImportAsync("products", $"sap-products-{runId}", DemoMasterData.ProductsCsv, csv: true,
                DemoMasterData.ProductsCsv.Split('\n').Count(l => l.Length > 0) - 1, ct),
            await ImportAsync("distributors", $"sap-distributors-{runId}",
                ImportBody($"sap-distributors-{runId}", "distributors", DemoMasterData.DistributorRows), csv: false, DemoMasterData.DistributorRows.Length, ct),
            await ImportAsync("customers", $"sap-customers-{runId}",
                ImportBody($"sap-customers-{runId}", "customers", DemoMasterData.CustomerRows), csv: false, DemoMasterData.CustomerRows.Length, ct),
        };
        var stock = await ImportAsync("stock", $"sap-stock-{runId}",
            ImportBody($"sap-stock-{runId}", "stock", DemoMasterData.StockRows), csv: false, DemoMasterData.StockRows.Length, ct);
        imports.Add(stock);

        // SAP counted when the stock import ended (the server's clock, so no skew between the two machines can put it
        // in the future): what the import set is Routing's on hand then, and the changes below are SAP's differences.
        var asOf = stock.CompletedAt ?? DateTimeOffset.UtcNow.AddSeconds(-1);
        var rejected = stock.Rejected.Select(r => r.Row).ToHashSet();
        var rows = new Dictionary<(string, string), SnapshotRow>();
        foreach (var (level, row) in DemoMasterData.StockRows.Select((level, i) => (level, i + 1)))
        {
            if (rejected.Contains(row)) continue;
            var change = DemoMasterData.SnapshotChanges.GetValueOrDefault((level.DistributorId, level.Sku));
            rows[(level.DistributorId, level.Sku)] = new SnapshotRow(level.DistributorId, level.Sku, level.OnHand + change);
        }
        output.WriteLine("== looking for stock an order holds (SAP will count less than is reserved there)");
        if (await client.NewestAllocatedOrderAsync(ct) is { Allocations: [var held, ..] } order)
        {
            // SAP counts none where an allocated order holds stock: on hand goes down to what is reserved only, and the
            // orders holding it are named at risk.
            output.WriteLine($"   {held.DistributorId} {held.Sku}: order {order.OrderId} holds {held.Quantity} of it reserved; SAP counts 0");
            rows[(held.DistributorId, held.Sku)] = new SnapshotRow(held.DistributorId, held.Sku, 0);
        }
        else
        {
            output.WriteLine("   no allocated order holds stock yet (place an order, or simulate a flash sale in the console, to see a shortfall)");
        }
        var reconciliation = await SnapshotAsync($"sap-snapshot-{runId}", asOf, DemoMasterData.Tolerance, [.. rows.Values], ct);
        return (imports, reconciliation);
    }

    public static string ImportBody<T>(string batchId, string kind, T rows) =>
        JsonSerializer.Serialize(new { batchId, kind, rows }, ErpClient.Json);
}
