using Routing.Contracts.Alerts;
using Routing.Contracts.Distributors;
using Routing.Contracts.Erp;
using Routing.Contracts.Stock;
using Routing.Domain.Rules;
using Routing.Grains.History;

namespace Routing.Grains.Distributors;

/// <summary>The stock operations besides orders: transfers out and in, returns, stocktakes. Like a reservation, each
/// decides and changes stock in one turn with no await in between, records its ledger movements and answers once the
/// write covering it is durable; each is idempotent by its operation's id.</summary>
public sealed partial class DistributorGrain
{
    /// <summary>How many applied operations (<see cref="DistributorState.Applied"/>) are remembered for their repeats.</summary>
    internal const int MaxRemembered = 10_000;

    /// <summary>How many stocktakes are kept to answer their repeats and the list.</summary>
    internal const int MaxStocktakes = 100;

    /// <summary>How many SAP snapshots' results are kept to answer their repeats.</summary>
    internal const int MaxReconciliations = 20;

    public async Task<StockOperationOutcome> HoldForTransferAsync(string transferId, string sku, int quantity)
    {
        if (S.Profile is null) return StockOperationOutcome.DistributorNotFound;
        if (S.TransferHolds.ContainsKey(transferId) || S.Applied.ContainsKey(TransferOutKey(transferId)))
        {
            await Commit.DurableAsync();
            return StockOperationOutcome.Done;
        }
        if (S.Stock.GetValueOrDefault(sku) is not { } stock || stock.Available < quantity) return StockOperationOutcome.InsufficientStock;
        var reservedBefore = stock.Reserved;
        stock.Reserved += quantity;
        Record(MovementKind.Reserve, sku, quantity, stock.OnHand, reservedBefore, stock, transferId, "held for a transfer out");
        S.TransferHolds[transferId] = new TransferHold(sku, quantity, clock.GetUtcNow());
        await CommitChangedAsync([(sku, stock, CheckThresholds(sku, stock))]);
        return StockOperationOutcome.Done;
    }

    public async Task ReleaseTransferAsync(string transferId)
    {
        if (!S.TransferHolds.Remove(transferId, out var hold))
        {
            await Commit.DurableAsync();
            return;
        }
        await CommitChangedAsync([ReleaseHold(transferId, hold, "a transfer cancelled before dispatch gave its units back")]);
    }

    public async Task DispatchTransferAsync(string transferId)
    {
        if (!S.TransferHolds.Remove(transferId, out var hold))
        {
            await Commit.DurableAsync();
            return;
        }
        var stock = S.Stock[hold.Sku];
        var (onHandBefore, reservedBefore) = (stock.OnHand, stock.Reserved);
        stock.Reserved -= hold.Quantity;
        stock.OnHand -= hold.Quantity;
        Record(MovementKind.TransferOut, hold.Sku, -hold.Quantity, onHandBefore, reservedBefore, stock, transferId, "dispatched by transfer");
        Remember(TransferOutKey(transferId));
        await CommitChangedAsync([(hold.Sku, stock, CheckThresholds(hold.Sku, stock))]);
    }

    public async Task<StockOperationOutcome> ExpectTransferAsync(string transferId, string sku, int quantity)
    {
        if (S.Profile is null) return StockOperationOutcome.DistributorNotFound;
        if (S.Incoming.ContainsKey(transferId) || S.Applied.ContainsKey(TransferInKey(transferId)))
        {
            await Commit.DurableAsync();
            return StockOperationOutcome.Done;
        }
        S.Incoming[transferId] = new TransferHold(sku, quantity, clock.GetUtcNow(), Confirmed: true);
        var stock = StockOf(sku);
        await CommitChangedAsync([(sku, stock, [])]);
        return StockOperationOutcome.Done;
    }

    public async Task ReceiveTransferAsync(string transferId, int receivedQuantity)
    {
        if (S.Applied.ContainsKey(TransferInKey(transferId)) || !S.Incoming.Remove(transferId, out var incoming))
        {
            // Received already (or never announced, which the transfer grain never does): nothing moves again.
            await Commit.DurableAsync();
            return;
        }
        var stock = StockOf(incoming.Sku);
        var (onHandBefore, reservedBefore) = (stock.OnHand, stock.Reserved);
        stock.OnHand += receivedQuantity;
        if (receivedQuantity > 0)
            Record(MovementKind.TransferIn, incoming.Sku, receivedQuantity, onHandBefore, reservedBefore, stock, transferId,
                receivedQuantity == incoming.Quantity ? "received by transfer" : $"received by transfer, {incoming.Quantity - receivedQuantity} short");
        Remember(TransferInKey(transferId));
        await CommitChangedAsync([(incoming.Sku, stock, CheckThresholds(incoming.Sku, stock))]);
    }

    public async Task<StockOperationOutcome> ReceiveReturnAsync(string returnId, IReadOnlyList<ReceivedLine> lines)
    {
        if (S.Profile is null) return StockOperationOutcome.DistributorNotFound;
        var key = $"return:{returnId}";
        if (S.Applied.ContainsKey(key))
        {
            await Commit.DurableAsync();
            return StockOperationOutcome.Done;
        }
        var changed = new List<(string Sku, StockState Stock, List<AlertChange> Alerts)>();
        foreach (var line in lines)
        {
            var stock = StockOf(line.Sku);
            var back = line.Resellable + line.Damaged;
            if (back == 0) continue;
            stock.OnHand += back;
            Record(MovementKind.Return, line.Sku, back, stock.OnHand - back, stock.Reserved, stock, returnId, "returned by the customer");
            if (line.Damaged > 0)
            {
                stock.OnHand -= line.Damaged;
                Record(MovementKind.WriteOff, line.Sku, -line.Damaged, stock.OnHand + line.Damaged, stock.Reserved, stock, returnId, "returned damaged: written off");
            }
            changed.Add((line.Sku, stock, CheckThresholds(line.Sku, stock)));
        }
        Remember(key);
        await CommitChangedAsync(changed);
        return StockOperationOutcome.Done;
    }

    public async Task<StocktakeResult?> StocktakeAsync(string stocktakeId, DateTimeOffset countedAt, IReadOnlyList<CountedLine> lines, string fingerprint)
    {
        if (S.Profile is null) return null;
        if (S.Stocktakes.Find(t => t.StocktakeId == stocktakeId) is { } done)
        {
            await Commit.DurableAsync();
            return new(done, Replayed: true);
        }
        // Older than the stocktakes kept here: its record answers.
        var (_, body) = await operations.ReadAsync(OperationKinds.Stocktake, stocktakeId);
        if (body is not null && OperationJson.Read<RecordedStocktake>(body) is var recorded)
            return new(recorded.Stocktake with { Fingerprint = recorded.Fingerprint }, Replayed: true);
        var onHandAt = await OnHandAtAsync(countedAt);
        if (S.Stocktakes.Find(t => t.StocktakeId == stocktakeId) is { } meanwhile)
        {
            await Commit.DurableAsync();
            return new(meanwhile, Replayed: true);
        }

        var changed = new List<(string Sku, StockState Stock, List<AlertChange> Alerts)>();
        var applied = new List<StocktakeLine>();
        foreach (var line in lines)
        {
            var expected = onHandAt(line.Sku);
            var stock = StockOf(line.Sku);
            var (difference, onHandAfter, ok) = StockOperationRules.Stocktake(line.Counted, expected, stock.OnHand, stock.Reserved);
            var alerts = new List<AlertChange>();
            if (ok && difference != 0)
            {
                var onHandBefore = stock.OnHand;
                stock.OnHand = onHandAfter;
                Record(MovementKind.Adjust, line.Sku, difference, onHandBefore, stock.Reserved, stock, stocktakeId,
                    $"stocktake counted {line.Counted} at {countedAt:u}, the ledger had {expected}");
                alerts.AddRange(CheckThresholds(line.Sku, stock));
            }
            else if (!ok)
            {
                var key = AlertKeys.StocktakeShortfall(Id, line.Sku, stocktakeId);
                alerts.Add(new AlertChange(key, new AlertDraft(AlertKind.StocktakeShortfall, key,
                    $"{Id} {line.Sku}: counted {line.Counted} at {countedAt:u}, the ledger had {expected}; applying {difference} would leave " +
                    $"{stock.OnHand + difference} on hand, below the {stock.Reserved} reserved: not applied, review it",
                    DistributorId: Id, Sku: line.Sku)));
            }
            applied.Add(new StocktakeLine(line.Sku, line.Counted, expected, difference, ok, !ok, stock.OnHand));
            changed.Add((line.Sku, stock, alerts));
        }
        var view = new StocktakeView(stocktakeId, Id, countedAt, applied, clock.GetUtcNow(), fingerprint);
        S.Stocktakes.Add(view);
        if (S.Stocktakes.Count > MaxStocktakes) S.Stocktakes.RemoveAt(0);
        await CommitChangedAsync(changed);
        // Its record answers a repeat once it is no longer among those kept here (a repeat until then writes it again,
        // should this write not have happened).
        await operations.WriteAsync(new OperationRecord(OperationKinds.Stocktake, stocktakeId, "Applied", [Id], null, null, view.AppliedAt,
            OperationJson.Write(new RecordedStocktake(view, fingerprint))), expectedVersion: null);
        return new(view, Replayed: false);
    }

    public async Task<DistributorReconciliation?> ReconcileAsync(string snapshotId, DateTimeOffset asOf, IReadOnlyList<SnapshotRow> rows, int tolerance)
    {
        if (S.Profile is null) return null;
        if (Reconciled(snapshotId) is { } done)
        {
            await Commit.DurableAsync();
            return done;
        }
        var onHandAt = await OnHandAtAsync(asOf);
        if (Reconciled(snapshotId) is { } meanwhile)
        {
            await Commit.DurableAsync();
            return meanwhile;
        }

        var changed = new List<(string Sku, StockState Stock, List<AlertChange> Alerts)>();
        var differences = new List<SnapshotDifference>();
        var matched = 0;
        foreach (var row in rows)
        {
            var ours = onHandAt(row.Sku);
            if (ours == row.OnHand)
            {
                matched++;
                continue;
            }
            var stock = StockOf(row.Sku);
            var (difference, applied, shortfall) = StockOperationRules.Reconcile(row.OnHand, ours, stock.OnHand, stock.Reserved);
            var alerts = new List<AlertChange>();
            if (applied != 0)
            {
                var onHandBefore = stock.OnHand;
                stock.OnHand += applied;
                Record(MovementKind.ErpAdjust, row.Sku, applied, onHandBefore, stock.Reserved, stock, snapshotId,
                    $"SAP snapshot {snapshotId}: {row.OnHand} on hand at {asOf:u}, the ledger had {ours}" + (shortfall ? "; down to reserved only" : ""));
                alerts.AddRange(CheckThresholds(row.Sku, stock));
            }
            string[] atRisk = shortfall
                ? [.. _reservations.Values.Where(r => r.Lines.Any(l => l.Sku == row.Sku)).Select(r => r.OrderId).Order(StringComparer.Ordinal)]
                : [];
            if (Math.Abs(difference) > tolerance)
            {
                var key = AlertKeys.ReconciliationDifference(Id, row.Sku, snapshotId);
                alerts.Add(new AlertChange(key, new AlertDraft(AlertKind.ReconciliationDifference, key,
                    $"{Id} {row.Sku}: SAP had {row.OnHand} on hand at {asOf:u}, Routing {ours}: {difference:+#;-#} posted (SAP wins)",
                    DistributorId: Id, Sku: row.Sku)));
            }
            if (shortfall)
            {
                var key = AlertKeys.ReconciliationShortfall(Id, row.Sku, snapshotId);
                alerts.Add(new AlertChange(key, new AlertDraft(AlertKind.ReconciliationShortfall, key,
                    $"{Id} {row.Sku}: SAP's {row.OnHand} would leave less than the {stock.Reserved} reserved; on hand went down to reserved only. " +
                    $"Orders at risk: {string.Join(", ", atRisk.Take(20))}{(atRisk.Length > 20 ? $" and {atRisk.Length - 20} more" : "")}",
                    DistributorId: Id, Sku: row.Sku)));
            }
            differences.Add(new SnapshotDifference(Id, row.Sku, ours, row.OnHand, difference, applied, shortfall, atRisk));
            changed.Add((row.Sku, stock, alerts));
        }
        var result = new DistributorReconciliation(matched, differences);
        S.Reconciliations.Add((snapshotId, result));
        if (S.Reconciliations.Count > MaxReconciliations) S.Reconciliations.RemoveAt(0);
        await CommitChangedAsync(changed);
        return result;
    }

    private DistributorReconciliation? Reconciled(string snapshotId) =>
        S.Reconciliations.Find(r => r.SnapshotId == snapshotId) is { Result: { } result } ? result : null;

    /// <summary>On hand per SKU at <paramref name="at"/>: after the last movement at or before it. A movement made by then
    /// is either still in the outbox (copied first) or already written (so the ledger, read after the copy, has it).</summary>
    private async Task<Func<string, int>> OnHandAtAsync(DateTimeOffset at)
    {
        var pending = S.PendingLedger.Where(m => m.At <= at).GroupBy(m => m.Sku, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(m => m.Seq), StringComparer.Ordinal);
        var written = await history.OnHandAtAsync(Id, at);
        return sku =>
        {
            var last = pending.GetValueOrDefault(sku);
            return written.TryGetValue(sku, out var w) && (last is null || w.Seq > last.Seq) ? w.OnHand : last?.OnHandAfter ?? 0;
        };
    }

    /// <summary>A stocktake's record: as applied, with what made its request (not shown in the API's view).</summary>
    private sealed record RecordedStocktake(StocktakeView Stocktake, string Fingerprint);

    public Task<IReadOnlyList<StocktakeView>> GetStocktakesAsync() =>
        Task.FromResult<IReadOnlyList<StocktakeView>>([.. Enumerable.Reverse(S.Stocktakes)]);

    /// <summary>Transfer holds older than the reservation check's age whose transfer was never recorded (its request died
    /// between holding here and writing its record, and was not retried) are given back; the others are confirmed, so
    /// they are asked about once. The transfer grain answers only after a request in progress there has finished.</summary>
    private async Task CheckTransferHoldsAsync(DateTimeOffset cutoff)
    {
        var candidates = S.TransferHolds.Where(h => !h.Value.Confirmed && h.Value.Since < cutoff).Select(h => (h.Key, h.Value)).ToList();
        if (candidates.Count == 0) return;
        var transfers = await Task.WhenAll(candidates.Select(c => GrainFactory.GetGrain<ITransferGrain>(c.Key).GetAsync()));
        var changed = new List<(string Sku, StockState Stock, List<AlertChange> Alerts)>();
        for (var i = 0; i < candidates.Count; i++)
        {
            var (transferId, hold) = candidates[i];
            if (S.TransferHolds.GetValueOrDefault(transferId) != hold) continue;
            if (transfers[i] is not null) S.TransferHolds[transferId] = hold with { Confirmed = true };
            else
            {
                S.TransferHolds.Remove(transferId);
                changed.Add(ReleaseHold(transferId, hold, "expired: its transfer was never recorded"));
            }
        }
        await CommitChangedAsync(changed);
    }

    private (string Sku, StockState Stock, List<AlertChange> Alerts) ReleaseHold(string transferId, TransferHold hold, string cause)
    {
        var stock = S.Stock[hold.Sku];
        stock.Reserved -= hold.Quantity;
        Record(MovementKind.Release, hold.Sku, -hold.Quantity, stock.OnHand, stock.Reserved + hold.Quantity, stock, transferId, cause);
        return (hold.Sku, stock, CheckThresholds(hold.Sku, stock));
    }

    /// <summary>Writes the change, then publishes the stock and raises its alerts, and lets the directory know.</summary>
    private async Task CommitChangedAsync(List<(string Sku, StockState Stock, List<AlertChange> Alerts)> changed)
    {
        await Commit.CommitAsync();
        await AfterStockChangedAsync(changed);
        if (changed.Count > 0) SchedulePush();
    }

    private StockState StockOf(string sku)
    {
        if (S.Stock.TryGetValue(sku, out var stock)) return stock;
        return S.Stock[sku] = new StockState();
    }

    private void Remember(string key)
    {
        S.Applied[key] = clock.GetUtcNow();
        if (S.Applied.Count > MaxRemembered) S.Applied.Remove(S.Applied.MinBy(a => a.Value).Key);
    }

    private static string TransferOutKey(string transferId) => $"transferOut:{transferId}";

    private static string TransferInKey(string transferId) => $"transferIn:{transferId}";

    /// <summary>Units on their way here by transfer, per SKU.</summary>
    private int IncomingOf(string sku) => S.Incoming.Values.Where(i => i.Sku == sku).Sum(i => i.Quantity);
}
