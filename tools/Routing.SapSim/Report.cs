using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Routing.SapSim;

/// <summary>How the stand-in prints what happened: an import's progress and rejected rows, a reconciliation report, and
/// each feed event on one line.</summary>
public static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Progress(ImportView view) =>
        string.Create(Invariant, $"   {view.Status}: {view.Applied + view.Unchanged + view.RejectedCount:N0} of {view.Total:N0} rows received done");

    public static void ImportDone(TextWriter output, ImportView view)
    {
        output.WriteLine(string.Create(Invariant,
            $"   {view.Status}: {view.Total:N0} rows, {view.Applied:N0} applied, {view.Unchanged:N0} unchanged, {view.RejectedCount:N0} rejected"));
        if (view.Failure is { } failure) output.WriteLine($"   failure: {failure}");
        foreach (var r in view.Rejected) output.WriteLine(string.Create(Invariant, $"   rejected row {r.Row}: {r.Code}: {r.Detail}"));
        if (view.RejectedCount > view.Rejected.Count)
            output.WriteLine(string.Create(Invariant, $"   … and {view.RejectedCount - view.Rejected.Count:N0} more rejected rows (the API lists the first {view.Rejected.Count:N0})"));
    }

    public static string SnapshotProgress(SnapshotView view) =>
        string.Create(Invariant, $"   {view.Status}: {view.Processed:N0} of {view.Rows:N0} rows reconciled");

    /// <summary>The reconciliation report: counts, every difference (SAP wins: what was posted), the shortfalls and the
    /// orders they put at risk.</summary>
    public static void Reconciliation(TextWriter output, SnapshotView view, int maxListed = 50)
    {
        output.WriteLine(string.Create(Invariant,
            $"   {view.Status}: {view.Rows:N0} rows, {view.Matched:N0} matched, {view.Differences.Count:N0} differences (as of {view.AsOf:u}, tolerance {view.Tolerance})"));
        if (view.Differences.Count == 0) return;
        output.WriteLine("   distributor  sku           ours    sap  difference  applied  beyond tolerance");
        foreach (var d in view.Differences.Take(maxListed))
            output.WriteLine(string.Create(Invariant,
                $"   {d.DistributorId,-12} {d.Sku,-12} {d.Ours,5} {d.Sap,6} {d.Difference,11:+#;-#;0} {d.Applied,8:+#;-#;0}  {(Math.Abs(d.Difference) > view.Tolerance ? "yes: alert raised" : "no")}"));
        if (view.Differences.Count > maxListed)
            output.WriteLine(string.Create(Invariant, $"   … and {view.Differences.Count - maxListed:N0} more differences"));
        var shortfalls = view.Differences.Where(d => d.Shortfall).ToList();
        output.WriteLine(string.Create(Invariant, $"   shortfalls: {shortfalls.Count}"));
        foreach (var s in shortfalls)
            output.WriteLine(string.Create(Invariant,
                $"   {s.DistributorId} {s.Sku}: SAP counted {s.Sap}, {s.Difference:+#;-#;0} would go below what is reserved; on hand went down by {-s.Applied} only (to reserved)"));
        var atRisk = shortfalls.SelectMany(s => s.OrdersAtRisk).Distinct(StringComparer.Ordinal).ToList();
        output.WriteLine(atRisk.Count == 0 ? "   orders at risk: none" : $"   orders at risk: {atRisk.Count} ({string.Join(", ", atRisk.Take(20))}{(atRisk.Count > 20 ? ", …" : "")})");
    }

    /// <summary>One feed event on one line: when, what, then its fields as name=value, nulls left out and nested objects
    /// flattened (an order's allocations as <c>d-13 UREA-50 3</c>), and its cursor last.</summary>
    public static string Event(JsonElement e)
    {
        var line = new StringBuilder();
        var at = e.TryGetProperty("at", out var a) && a.TryGetDateTimeOffset(out var time)
            ? time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff", Invariant)
            : "-";
        var type = e.TryGetProperty("type", out var t) ? t.ToString() : "?";
        line.Append(at).Append("  ").Append(type.PadRight(18));
        foreach (var p in e.EnumerateObject())
            if (!p.NameEquals("at") && !p.NameEquals("type") && !p.NameEquals("cursor")) Fields(line, p.Name, p.Value);
        line.Append("  [").Append(e.TryGetProperty("cursor", out var c) ? c.ToString() : "").Append(']');
        return line.ToString();
    }

    private static void Fields(StringBuilder line, string name, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return;
            case JsonValueKind.Object:
                foreach (var p in value.EnumerateObject()) Fields(line, p.Name, p.Value);
                return;
            case JsonValueKind.Array:
                line.Append(' ').Append(name).Append('=').AppendJoin("; ", value.EnumerateArray().Select(Compact));
                return;
            default:
                line.Append(' ').Append(name).Append('=').Append(value.ToString());
                return;
        }
    }

    /// <summary>An array item: an object's values side by side (<c>d-13 UREA-50 3</c>), anything else as it is.</summary>
    private static string Compact(JsonElement item) => item.ValueKind == JsonValueKind.Object
        ? string.Join(' ', item.EnumerateObject().Where(p => p.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)).Select(p => p.Value.ToString()))
        : item.ToString();
}
