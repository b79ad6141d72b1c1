using System.Globalization;
using System.Text;

namespace Routing.Bench.Report;

/// <summary>The results as a Markdown table (what the README's Performance section shows).</summary>
public static class TableWriter
{
    public static string Write(BenchReport report)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| scenario | target | peak orders/s | p50 / p95 / p99 / max ms | × ceiling | × naive | × redis-always | open loop at 70%: orders/s, p99 ms | errors | oversold | live lag p99 ms (70%) |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|");
        foreach (var r in report.Results)
        {
            var p = r.Peak.Latency;
            var errors = r.Peak.Errors.Concat(r.Steady.Errors).GroupBy(e => e.Key).Select(g => $"{g.Key}: {g.Sum(x => x.Value)}").ToList();
            var lag = r.LiveLagSteady is { } l ? (l.Seen > 0 ? F(l.Lag.P99) : "none seen") + (l.Missing > 0 ? $" ({l.Missing} missing)" : "") : "n/a";
            var audit = r.Audit.Audited ? (r.Audit.OversoldUnits + r.LostUnits).ToString(CultureInfo.InvariantCulture) + (r.LostUnits > 0 ? $" ({r.LostUnits} lost)" : "") : "n/a";
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Scenario} | {r.Target} | {r.Peak.OrdersPerSecond:0} | {F(p.P50)} / {F(p.P95)} / {F(p.P99)} / {F(p.Max)} | {Ratio(r.VsCeiling)} | {Ratio(r.VsNaive)} | {Ratio(r.VsRedisAlways)} | {r.Steady.OrdersPerSecond:0}, {F(r.Steady.Latency.P99)} | {(errors.Count == 0 ? "0" : string.Join("; ", errors))} | {audit} | {lag} |");
        }
        return sb.ToString();
    }

    private static string F(double ms) => ms.ToString(ms < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);
    private static string Ratio(double? r) => r is { } v ? v.ToString(v < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) : "–";
}
