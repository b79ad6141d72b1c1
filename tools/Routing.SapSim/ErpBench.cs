using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Routing.SapSim;

/// <summary>What the ERP benchmark does: <see cref="Distributors"/> × <see cref="Products"/> (distributor, SKU) pairs, one
/// stock import of all of them, then one snapshot of all of them in which every <see cref="DifferenceEvery"/>-th row
/// differs. Ids carry <see cref="Tag"/>, so runs against one API do not meet.</summary>
public sealed record ErpBenchSpec(int Distributors, int Products, string Tag, int DifferenceEvery = 100, bool Csv = true)
{
    public int Rows => Distributors * Products;

    /// <summary>About <paramref name="rows"/> rows as 200 distributors × the rest in products (100,000 = 200 × 500), fewer
    /// distributors for small runs.</summary>
    public static ErpBenchSpec ForRows(int rows, string tag)
    {
        var distributors = Math.Clamp(rows / 500, 1, 200);
        return new ErpBenchSpec(distributors, Math.Max(1, rows / distributors), tag);
    }

    /// <summary>The snapshot rows that differ from what the stock import set.</summary>
    public int ExpectedDifferences => (Rows + DifferenceEvery - 1) / DifferenceEvery;
}

/// <summary>One timed phase: how long, how many rows a second, and the API process's peak working set meanwhile (when
/// the runner could watch it).</summary>
public sealed record ErpPhase(double Seconds, double RowsPerSecond, double? PeakWorkingSetMiB);

/// <summary>What an ERP benchmark run measured and found.</summary>
public sealed record ErpBenchResult(
    ErpBenchSpec Spec,
    double SetupSeconds,
    ErpPhase StockImport,
    int Applied,
    int Unchanged,
    int Rejected,
    ErpPhase Reconciliation,
    double SnapshotAcceptedSeconds,
    int Processed,
    int Matched,
    int Differences,
    string ImportStatus,
    string ReconciliationStatus)
{
    /// <summary>Every row applied, none rejected, and the reconciliation completed with exactly the differences sent.</summary>
    public bool Correct =>
        ImportStatus == "Completed" && Applied == Spec.Rows && Rejected == 0 && ReconciliationStatus == "Completed" && Processed == Spec.Rows
        && Differences == Spec.ExpectedDifferences && Matched == Spec.Rows - Spec.ExpectedDifferences;
}

/// <summary>The benchmark of SAP's bulk paths: sets its master data up through the import API itself (products, then
/// distributors), then times one stock import of every (distributor, SKU) pair (wall time from the first byte sent to
/// the 202, which comes once every row is applied) and one snapshot of as many rows (from the POST until the snapshot
/// reads Completed). <paramref name="workingSet"/> reads the API process's working set, when the caller knows it.</summary>
public sealed class ErpBench(ErpClient client, TextWriter log, Func<long?>? workingSet = null)
{
    public async Task<ErpBenchResult> RunAsync(ErpBenchSpec spec, CancellationToken ct)
    {
        string Distributor(int d) => $"bd{spec.Tag}-{d:D4}";
        string Sku(int p) => $"BP{spec.Tag}-{p:D5}";
        static int OnHand(int d, int p) => 100 + (d * 31 + p * 7) % 900;

        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"-- erp: {spec.Distributors:N0} distributors × {spec.Products:N0} products = {spec.Rows:N0} rows ({(spec.Csv ? "CSV" : "JSON")}), tag {spec.Tag}"));
        var setup = Stopwatch.StartNew();
        var products = new StringBuilder("sku,name,unit,category\n");
        for (var p = 1; p <= spec.Products; p++) products.Append(CultureInfo.InvariantCulture, $"{Sku(p)},Bench product {p},bag,fertiliser\n");
        Expect(await client.ImportAsync("products", $"bench-products-{spec.Tag}", products.ToString(), "text/csv", null, TimeSpan.FromSeconds(1), ct),
            spec.Products, "products");
        var distributors = new StringBuilder("id,name,regions,location.lat,location.lon,priority,dailyCapacity,active\n");
        for (var d = 1; d <= spec.Distributors; d++)
            distributors.Append(CultureInfo.InvariantCulture, $"{Distributor(d)},Bench distributor {d},42{d % 90 + 10:D2},{30 + d % 100 * 0.01:0.00},{114 + d % 100 * 0.01:0.00},{1 + d % 3},100000,true\n");
        Expect(await client.ImportAsync("distributors", $"bench-distributors-{spec.Tag}", distributors.ToString(), "text/csv", null, TimeSpan.FromSeconds(1), ct),
            spec.Distributors, "distributors");
        var setupSeconds = Math.Round(setup.Elapsed.TotalSeconds, 1);
        log.WriteLine($"   set up through the import API in {setupSeconds:0.0} s");

        string stock;
        if (spec.Csv)
        {
            var csv = new StringBuilder("distributorId,sku,onHand,threshold\n");
            for (var d = 1; d <= spec.Distributors; d++)
                for (var p = 1; p <= spec.Products; p++) csv.Append(CultureInfo.InvariantCulture, $"{Distributor(d)},{Sku(p)},{OnHand(d, p)},20\n");
            stock = csv.ToString();
        }
        else
        {
            var rows = new List<StockLevel>(spec.Rows);
            for (var d = 1; d <= spec.Distributors; d++)
                for (var p = 1; p <= spec.Products; p++) rows.Add(new StockLevel(Distributor(d), Sku(p), OnHand(d, p), 20));
            stock = StandIn.ImportBody($"bench-stock-{spec.Tag}", "stock", rows);
        }
        var import = await MeasureAsync(() => client.ImportAsync("stock", $"bench-stock-{spec.Tag}", stock, spec.Csv ? "text/csv" : "application/json",
            v => log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   stock import {v.Status}: {v.Applied + v.Unchanged + v.RejectedCount:N0} of {spec.Rows:N0}")),
            TimeSpan.FromSeconds(1), ct));
        var imported = import.Value;
        var importPhase = Phase(import.Seconds, spec.Rows, import.PeakBytes);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   stock import: {imported.Status}, {imported.Applied:N0} applied, {imported.RejectedCount:N0} rejected in {importPhase.Seconds:0.0} s = {importPhase.RowsPerSecond:N0} rows/s{Peak(importPhase)}"));

        // SAP counted when the import ended (the server's clock); every DifferenceEvery-th row differs, alternately up and down.
        var asOf = imported.CompletedAt ?? DateTimeOffset.UtcNow;
        var snapshot = new List<SnapshotRow>(spec.Rows);
        var i = 0;
        for (var d = 1; d <= spec.Distributors; d++)
            for (var p = 1; p <= spec.Products; p++, i++)
                snapshot.Add(new SnapshotRow(Distributor(d), Sku(p), OnHand(d, p) + (i % spec.DifferenceEvery == 0 ? (i / spec.DifferenceEvery % 2 == 0 ? 5 : -5) : 0)));
        var snapshotId = $"bench-snapshot-{spec.Tag}";
        double accepted = 0;
        var reconciled = await MeasureAsync(async () =>
        {
            var clock = Stopwatch.StartNew();
            await client.SendSnapshotAsync(snapshotId, asOf, 0, snapshot, ct);
            accepted = clock.Elapsed.TotalSeconds;
            return await client.WaitCompletedAsync(snapshotId,
                v => log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   reconciliation {v.Status}: {v.Processed:N0} of {v.Rows:N0}")),
                TimeSpan.FromMilliseconds(200), ct);
        });
        var done = reconciled.Value;
        var reconcilePhase = Phase(reconciled.Seconds, spec.Rows, reconciled.PeakBytes);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   reconciliation: {done.Status}, {done.Processed:N0} rows, {done.Matched:N0} matched, {done.Differences.Count:N0} differences in {reconcilePhase.Seconds:0.0} s " +
            $"(accepted after {accepted:0.0} s) = {reconcilePhase.RowsPerSecond:N0} rows/s{Peak(reconcilePhase)}"));

        return new ErpBenchResult(spec, setupSeconds, importPhase, imported.Applied, imported.Unchanged, imported.RejectedCount,
            reconcilePhase, Math.Round(accepted, 2), done.Processed, done.Matched, done.Differences.Count, imported.Status, done.Status);
    }

    private static ErpPhase Phase(double seconds, int rows, long? peakBytes) =>
        new(Math.Round(seconds, 2), Math.Round(rows / seconds), peakBytes is { } b ? Math.Round(b / (1024.0 * 1024), 0) : null);

    private static string Peak(ErpPhase phase) => phase.PeakWorkingSetMiB is { } mib ? $", API peak working set {mib:N0} MiB" : "";

    private static void Expect(ImportView view, int rows, string what)
    {
        if (view.Status != "Completed" || view.Applied + view.Unchanged != rows)
            throw new InvalidOperationException($"the {what} import did not apply every row: {view.Status}, {view.Applied} applied, {view.RejectedCount} rejected" +
                (view.Rejected.Count > 0 ? $" (row {view.Rejected[0].Row}: {view.Rejected[0].Code}: {view.Rejected[0].Detail})" : ""));
    }

    /// <summary>Runs <paramref name="phase"/>, timing it and sampling the API's working set every 100 ms meanwhile.</summary>
    private async Task<(T Value, double Seconds, long? PeakBytes)> MeasureAsync<T>(Func<Task<T>> phase)
    {
        var peak = workingSet?.Invoke();
        using var stop = new CancellationTokenSource();
        var sampler = workingSet is null ? Task.CompletedTask : Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (workingSet() is { } now && now > (peak ?? 0)) peak = now;
                try { await Task.Delay(100, stop.Token); }
                catch (OperationCanceledException) { }
            }
        });
        var clock = Stopwatch.StartNew();
        try
        {
            var value = await phase();
            return (value, clock.Elapsed.TotalSeconds, peak);
        }
        finally
        {
            await stop.CancelAsync();
            await sampler;
        }
    }
}
