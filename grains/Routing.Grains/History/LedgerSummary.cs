using System.Globalization;
using System.Text;

namespace Routing.Grains.History;

/// <summary>One SKU's stock statement (进销存) at one distributor over a period: on hand at its start, what came in and
/// went out by kind, and on hand at its end, so that <c>Opening + Ins − Outs = Closing</c> exactly. <see cref="Adjusted"/>
/// is signed (set by hand, or corrected by a stocktake or a SAP snapshot, up or down); the other kinds are counted as units. Reserved and
/// released units are shown too; they do not move on hand.</summary>
public sealed record LedgerSummaryRow(
    string Sku,
    int Opening,
    int Received,
    int Shipped,
    int Returned,
    int TransferredIn,
    int TransferredOut,
    int Adjusted,
    int WrittenOff,
    int Closing,
    int Reserved,
    int Released)
{
    public int Ins => Received + Returned + TransferredIn + Adjusted;
    public int Outs => Shipped + TransferredOut + WrittenOff;
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
            var row = new LedgerSummaryRow(sku, opening.GetValueOrDefault(sku), 0, 0, 0, 0, 0, 0, 0, closing.GetValueOrDefault(sku), 0, 0);
            foreach (var t in totals.GetValueOrDefault(sku) ?? []) row = Add(row, t);
            return row;
        })];
    }

    /// <summary>One kind's totals into the row, each as its net change of on hand (reservations and releases: of reserved).</summary>
    private static LedgerSummaryRow Add(LedgerSummaryRow row, LedgerTotals t)
    {
        var up = (int)(t.OnHandUp - t.OnHandDown);
        return t.Kind switch
        {
            MovementKind.Receive => row with { Received = row.Received + up },
            MovementKind.Return => row with { Returned = row.Returned + up },
            MovementKind.TransferIn => row with { TransferredIn = row.TransferredIn + up },
            MovementKind.Adjust or MovementKind.ErpAdjust => row with { Adjusted = row.Adjusted + up },
            MovementKind.Ship => row with { Shipped = row.Shipped - up },
            MovementKind.TransferOut => row with { TransferredOut = row.TransferredOut - up },
            MovementKind.WriteOff => row with { WrittenOff = row.WrittenOff - up },
            MovementKind.Reserve => row with { Reserved = row.Reserved + (int)(t.ReservedUp - t.ReservedDown) },
            MovementKind.Release => row with { Released = row.Released + (int)(t.ReservedDown - t.ReservedUp) },
        };
    }

    /// <summary>The period's movements summed per SKU and kind (for a store that keeps movements in memory).</summary>
    public static IEnumerable<LedgerTotals> Totals(IEnumerable<LedgerMovement> period) =>
        period.GroupBy(m => (m.Sku, m.Kind)).Select(g => new LedgerTotals(g.Key.Sku, g.Key.Kind,
            g.Sum(m => (long)Math.Max(m.OnHandAfter - m.OnHandBefore, 0)), g.Sum(m => (long)Math.Max(m.OnHandBefore - m.OnHandAfter, 0)),
            g.Sum(m => (long)Math.Max(m.ReservedAfter - m.ReservedBefore, 0)), g.Sum(m => (long)Math.Max(m.ReservedBefore - m.ReservedAfter, 0))));

    public const string CsvHeader = "sku,opening,received,shipped,returned,transferredIn,transferredOut,adjusted,writtenOff,closing,reserved,released";

    /// <summary>The statement as CSV for a spreadsheet (RFC 4180; SKUs are ids, so nothing needs quoting).</summary>
    public static string Csv(IEnumerable<LedgerSummaryRow> rows)
    {
        var csv = new StringBuilder(CsvHeader).Append("\r\n");
        foreach (var r in rows)
            csv.Append(CultureInfo.InvariantCulture,
                $"{r.Sku},{r.Opening},{r.Received},{r.Shipped},{r.Returned},{r.TransferredIn},{r.TransferredOut},{r.Adjusted},{r.WrittenOff},{r.Closing},{r.Reserved},{r.Released}\r\n");
        return csv.ToString();
    }
}
