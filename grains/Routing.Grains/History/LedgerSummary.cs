using System.Globalization;
using System.Text;

namespace Routing.Grains.History;

/// <summary>One SKU's stock statement (进销存) at one distributor over a period: on hand at its start, what came in and
/// went out by kind, and on hand at its end, so that <c>Opening + Ins − Outs = Closing</c> exactly. Reserved and
/// released units are shown too; they do not move on hand.</summary>
public sealed record LedgerSummaryRow(
    string Sku,
    int Opening,
    int Received,
    int AdjustedIn,
    int Shipped,
    int AdjustedOut,
    int Closing,
    int Reserved,
    int Released)
{
    public int Ins => Received + AdjustedIn;
    public int Outs => Shipped + AdjustedOut;
}

/// <summary>A period's movements of one SKU and kind, summed: how far on hand and reserved went up and down.</summary>
public sealed record LedgerTotals(string Sku, MovementKind Kind, long OnHandUp, long OnHandDown, long ReservedUp, long ReservedDown);

/// <summary>The stock statement, from what any ledger store can answer: on hand per SKU after the last movement before
/// the period and before its end, and the period's movements summed per SKU and kind. How each kind counts is here only.</summary>
public static class LedgerSummary
{
    public static IReadOnlyList<LedgerSummaryRow> Of(
        IReadOnlyDictionary<string, int> opening, IReadOnlyDictionary<string, int> closing, IEnumerable<LedgerTotals> period)
    {
        var totals = period.GroupBy(t => t.Sku, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var skus = opening.Keys.Concat(closing.Keys).Concat(totals.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return [.. skus.Select(sku =>
        {
            var row = new LedgerSummaryRow(sku, opening.GetValueOrDefault(sku), 0, 0, 0, 0, closing.GetValueOrDefault(sku), 0, 0);
            foreach (var t in totals.GetValueOrDefault(sku) ?? []) row = Add(row, t);
            return row;
        })];
    }

    /// <summary>One kind's totals into the row: receipts and adjustments move on hand up, shipments and adjustments down;
    /// reservations and releases move reserved units only.</summary>
    private static LedgerSummaryRow Add(LedgerSummaryRow row, LedgerTotals t) => t.Kind switch
    {
        MovementKind.Receive => row with { Received = row.Received + (int)(t.OnHandUp - t.OnHandDown) },
        MovementKind.Adjust => row with { AdjustedIn = row.AdjustedIn + (int)t.OnHandUp, AdjustedOut = row.AdjustedOut + (int)t.OnHandDown },
        MovementKind.Ship => row with { Shipped = row.Shipped + (int)(t.OnHandDown - t.OnHandUp) },
        MovementKind.Reserve => row with { Reserved = row.Reserved + (int)(t.ReservedUp - t.ReservedDown) },
        MovementKind.Release => row with { Released = row.Released + (int)(t.ReservedDown - t.ReservedUp) },
    };

    /// <summary>The period's movements summed per SKU and kind (for a store that keeps movements in memory).</summary>
    public static IEnumerable<LedgerTotals> Totals(IEnumerable<LedgerMovement> period) =>
        period.GroupBy(m => (m.Sku, m.Kind)).Select(g => new LedgerTotals(g.Key.Sku, g.Key.Kind,
            g.Sum(m => (long)Math.Max(m.OnHandAfter - m.OnHandBefore, 0)), g.Sum(m => (long)Math.Max(m.OnHandBefore - m.OnHandAfter, 0)),
            g.Sum(m => (long)Math.Max(m.ReservedAfter - m.ReservedBefore, 0)), g.Sum(m => (long)Math.Max(m.ReservedBefore - m.ReservedAfter, 0))));

    public const string CsvHeader = "sku,opening,received,adjustedIn,shipped,adjustedOut,closing,reserved,released";

    /// <summary>The statement as CSV for a spreadsheet (RFC 4180; SKUs are ids, so nothing needs quoting).</summary>
    public static string Csv(IEnumerable<LedgerSummaryRow> rows)
    {
        var csv = new StringBuilder(CsvHeader).Append("\r\n");
        foreach (var r in rows)
            csv.Append(CultureInfo.InvariantCulture, $"{r.Sku},{r.Opening},{r.Received},{r.AdjustedIn},{r.Shipped},{r.AdjustedOut},{r.Closing},{r.Reserved},{r.Released}\r\n");
        return csv.ToString();
    }
}
