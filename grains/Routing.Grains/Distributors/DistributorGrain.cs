using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Routing.Contracts;
using Routing.Contracts.Alerts;
using Routing.Contracts.Customers;
using Routing.Contracts.Distributors;
using Routing.Contracts.Erp;
using Routing.Contracts.Events;
using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Domain.Explaining;
using Routing.Domain.Rules;
using Routing.Grains.Events;
using Routing.Grains.History;
using Routing.Grains.Infrastructure;

namespace Routing.Grains.Distributors;

/// <summary>One distributor's profile, stock and reservations: the only place stock is decided.
/// Reentrant, so a flash sale's concurrent reservations share writes (group commit): every call checks and changes
/// stock synchronously, in one turn with no await in between, so reserved ≤ on hand always holds in memory, and each
/// call answers only after a write covering its change has finished. Alerts are raised in the order of the changes.
/// Every stock movement is saved with the stock it changed (an outbox in the state) and then appended to the ledger
/// in the background, so the ledger adds no round trip to a reservation and loses nothing in a crash.</summary>
[Reentrant]
public sealed partial class DistributorGrain(
    [PersistentState("distributor", StorageNames.Routing)] IPersistentState<DistributorState> state,
    [PersistentState("reservations-recent", StorageNames.Routing)] IPersistentState<ReservationShelf> recentReservations,
    [PersistentState("reservations-middle", StorageNames.Routing)] IPersistentState<ReservationShelf> middleReservations,
    [PersistentState("reservations-older", StorageNames.Routing)] IPersistentState<ReservationShelf> olderReservations,
    [PersistentState("reservations-archive", StorageNames.Routing)] IPersistentState<ReservationShelf> archivedReservations,
    IRoutingEventPublisher events,
    SnapshotOutbox snapshots,
    IRoutingHistory history,
    IOperationStore operations,
    IOptions<ReservationExpiryOptions> expiryOptions,
    IOptions<ForecastOptions> forecastOptions,
    TimeProvider clock,
    ILogger<DistributorGrain> logger) : Grain, IDistributorGrain
{
    /// <summary>Reservations change stock many times a second in a flash sale; the directory hears of it at most this often.</summary>
    private static readonly TimeSpan SnapshotPushDelay = TimeSpan.FromMilliseconds(50);

    private IGrainTimer? _pushTimer;
    private bool _pushPending;
    /// <summary>Ledger writes in flight or done, by movement number: a movement leaves the outbox once written.</summary>
    private readonly Dictionary<long, Task<bool>> _ledgerWrites = [];
    /// <summary>Alert changes go to the log one call's batch after another, in the order the stock changed.</summary>
    private Task _alerts = Task.CompletedTask;

    private GroupCommit Commit => field ??= new GroupCommit(WriteAsync);
    private readonly ReservationBook _reservations = new([recentReservations, middleReservations, olderReservations, archivedReservations]);

    private string Id => this.GetPrimaryKeyString();
    private DistributorState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var expiry = expiryOptions.Value;
        // Interleaving: while it asks the placers (customer or order grains) about reservations, they may be calling this grain.
        this.RegisterGrainTimer(CheckUnverifiedReservationsAsync,
            new GrainTimerCreationOptions(expiry.CheckEvery, expiry.CheckEvery) { Interleave = true });
        var reconciled = ReconcileReservedWithShelves();
        if (reconciled.Count > 0)
        {
            await Commit.CommitAsync();
            await AfterStockChangedAsync(reconciled);
        }
        SendLedger();
        if (S.Profile is not null) await PushSnapshotAsync();
    }

    /// <summary>The reservations on the shelves (and the transfer holds) are the authority on what is reserved. A crash
    /// between writing the stock and writing the shelves leaves the two apart: set reserved from the shelves, with a
    /// ledger movement saying why.</summary>
    private List<(string Sku, StockState Stock, List<AlertChange> Alerts)> ReconcileReservedWithShelves()
    {
        // Transfer holds are reserved too, and saved with the stock itself.
        var onShelves = PerSku(_reservations.All.SelectMany(r => r.Lines)
                .Concat(S.TransferHolds.Values.Select(h => new OrderLine(h.Sku, h.Quantity))))
            .ToDictionary(x => x.Sku, x => x.Quantity, StringComparer.Ordinal);
        var changed = new List<(string Sku, StockState Stock, List<AlertChange> Alerts)>();
        foreach (var (sku, stock) in S.Stock)
        {
            var reserved = onShelves.GetValueOrDefault(sku);
            if (stock.Reserved == reserved) continue;
            var (onHand, before) = (stock.OnHand, stock.Reserved);
            LogReconciled(logger, Id, sku, before, reserved);
            stock.Reserved = reserved;
            Record(reserved > before ? MovementKind.Reserve : MovementKind.Release, sku, reserved - before, onHand, before, stock, null,
                "reconciled with the reservations after an interrupted write");
            changed.Add((sku, stock, CheckThresholds(sku, stock)));
        }
        return changed;
    }

    public async Task<UpsertResult> UpsertProfileAsync(DistributorProfile profile)
    {
        var old = S.Profile;
        if (old is not null && old with { Regions = profile.Regions } == profile && old.Regions.SequenceEqual(profile.Regions))
            return UpsertResult.Unchanged;
        S.Profile = profile;
        await Commit.CommitAsync();
        await PushSnapshotAsync();
        return old is null ? UpsertResult.Created : UpsertResult.Updated;
    }

    public Task<DistributorProfile?> GetProfileAsync() => Task.FromResult(S.Profile);

    public async Task<StockUpdateResult> SetStockAsync(string sku, int onHand, int threshold)
    {
        if (S.Profile is null) return new(StockUpdateOutcome.DistributorNotFound, null);
        var changed = new List<(string Sku, StockState Stock, List<AlertChange> Alerts)>();
        var outcome = SetLevel(new ImportedStock(Id, sku, onHand, threshold), changed);
        var stock = S.Stock.GetValueOrDefault(sku) ?? new StockState();
        if (outcome == StockLevelOutcome.BelowReserved) return new(StockUpdateOutcome.BelowReserved, ToItem(sku, stock));
        await Commit.CommitAsync();
        await AfterStockChangedAsync(changed);
        await PushSnapshotAsync();
        return new(StockUpdateOutcome.Updated, ToItem(sku, stock));
    }

    public async Task<IReadOnlyList<StockLevelOutcome>?> SetStockLevelsAsync(IReadOnlyList<ImportedStock> levels)
    {
        if (S.Profile is null) return null;
        // Every level is decided in this one turn; one write then covers them all.
        var changed = new List<(string Sku, StockState Stock, List<AlertChange> Alerts)>();
        var outcomes = levels.Select(level => SetLevel(level, changed)).ToList();
        if (changed.Count == 0) return outcomes;
        await Commit.CommitAsync();
        await AfterStockChangedAsync(changed);
        SchedulePush();
        return outcomes;
    }

    /// <summary>Sets a SKU's on hand and threshold unless that would take on hand below reserved (stock from the ERP, the
    /// API or an import), with the ledger movement of what changed.</summary>
    private StockLevelOutcome SetLevel(ImportedStock level, List<(string Sku, StockState Stock, List<AlertChange> Alerts)> changed)
    {
        var stock = S.Stock.GetValueOrDefault(level.Sku) ?? new StockState();
        if (level.OnHand < stock.Reserved) return StockLevelOutcome.BelowReserved;
        if (S.Stock.ContainsKey(level.Sku) && stock.OnHand == level.OnHand && stock.Threshold == level.Threshold) return StockLevelOutcome.Unchanged;
        var (onHandBefore, reservedBefore) = (stock.OnHand, stock.Reserved);
        stock.OnHand = level.OnHand;
        stock.Threshold = level.Threshold;
        S.Stock[level.Sku] = stock;
        if (level.OnHand != onHandBefore)
            Record(level.OnHand > onHandBefore ? MovementKind.Receive : MovementKind.Adjust, level.Sku, level.OnHand - onHandBefore,
                onHandBefore, reservedBefore, stock, null, level.OnHand > onHandBefore ? "stock received" : "stock adjusted down");
        changed.Add((level.Sku, stock, CheckThresholds(level.Sku, stock)));
        return StockLevelOutcome.Applied;
    }

    public Task<IReadOnlyList<InventoryItem>> GetInventoryAsync() =>
        Task.FromResult<IReadOnlyList<InventoryItem>>(
            S.Stock.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => ToItem(kv.Key, kv.Value)).ToList());

    public Task<IReadOnlyList<Reservation>> GetReservationsAsync() =>
        Task.FromResult<IReadOnlyList<Reservation>>(_reservations.All.OrderBy(r => r.ReservedAt).ToList());

    public async Task<ReservationResult> ReserveAsync(string orderId, IReadOnlyList<OrderLine> lines) =>
        (await ReserveManyAsync([new ReservationRequest(orderId, [.. lines], CustomerId: null)]))[0];

    public async Task<IReadOnlyList<ReservationResult>> ReserveManyAsync(IReadOnlyList<ReservationRequest> requests)
    {
        // Every request is decided in this one turn, with no await in between; one write then covers them all.
        var changed = new List<(string Sku, StockState Stock, List<AlertChange> Alerts)>();
        var outcomes = new (bool Success, Finding? Refusal)[requests.Count];
        var write = Durability.None;
        for (var i = 0; i < requests.Count; i++)
        {
            var (success, refusal, needs) = TryReserve(requests[i], changed);
            outcomes[i] = (success, refusal);
            if (needs > write) write = needs;
        }
        if (write == Durability.Write) await Commit.CommitAsync();
        else if (write == Durability.Wait) await Commit.DurableAsync();

        var reserved = outcomes.Count(o => o.Success);
        RoutingMetrics.Reservations.Add(reserved);
        RoutingMetrics.ReservationsRefused.Add(requests.Count - reserved);
        await AfterStockChangedAsync(changed);
        if (changed.Count > 0) SchedulePush();
        // One snapshot answers the whole batch: on a refusal, it is what is actually left after every request here.
        var snapshot = S.Profile is null ? EmptySnapshot() : Snapshot();
        return [.. outcomes.Select(o => new ReservationResult(o.Success, o.Refusal, snapshot))];
    }

    /// <summary>What a request needs before its answer: nothing (a refusal), a wait for the write in flight (a repeat of
    /// a reservation already written), or a write of its own change.</summary>
    private enum Durability { None, Wait, Write }

    /// <summary>Decides one request synchronously: reserves every line or none (in memory; the caller writes).</summary>
    private (bool Success, Finding? Refusal, Durability Needs) TryReserve(ReservationRequest request,
        List<(string Sku, StockState Stock, List<AlertChange> Alerts)> changed)
    {
        var (orderId, lines) = (request.OrderId, request.Lines);
        if (S.Profile is null) return (false, new UnknownDistributor(), Durability.None);
        if (_reservations.TryGet(orderId, out var existing))
        {
            // A retried placement (or a re-route) under the same order id. If it routed differently, the reservation
            // grows to cover both attempts, all or nothing; its check trims it to the order's record later.
            var (covering, growth) = StockRules.Widen(PerSku(existing.Lines), PerSku(lines));
            if (growth.Count > 0)
            {
                if (!S.Profile.Active) return (false, new DistributorInactive(), Durability.None);
                RollLoadDate();
                if (StockRules.CannotReserve(growth, sku => S.Stock.GetValueOrDefault(sku)?.Available ?? 0, S.LoadToday, S.Profile.DailyCapacity) is { } shortBy)
                    return (false, shortBy, Durability.None);
                Reserve(orderId, growth, "a retry routed differently: its reservation grows to cover both attempts", changed);
                _reservations.Set(existing with
                {
                    Lines = [.. covering.Select(c => new OrderLine(c.Sku, c.Quantity))],
                    ReservedAt = clock.GetUtcNow(),
                    Verified = false,
                    // A verified one is its order's record's: that claim stays until the check has looked again.
                    Attempts = Claimed(existing.Verified ? [RecordClaim] : existing.Attempts, request.AttemptId),
                });
                return (true, null, Durability.Write);
            }
            // The same (or less): the reservation counts as new again, so an expiry check made before the retry (which
            // found no order) cannot release it. A verified one may still be on its way to storage: wait for it.
            if (existing.Verified) return (true, null, Durability.Wait);
            _reservations.Set(existing with { ReservedAt = clock.GetUtcNow(), Attempts = Claimed(existing.Attempts, request.AttemptId) });
            return (true, null, Durability.Write);
        }
        if (!S.Profile.Active) return (false, new DistributorInactive(), Durability.None);

        RollLoadDate();
        if (StockRules.CannotReserve(PerSku(lines), sku => S.Stock.GetValueOrDefault(sku)?.Available ?? 0, S.LoadToday, S.Profile.DailyCapacity) is { } why)
            return (false, why, Durability.None);
        Reserve(orderId, PerSku(lines), "order reserved", changed);
        _reservations.Set(new Reservation(orderId, lines, clock.GetUtcNow(), CustomerId: request.CustomerId,
            Attempts: request.AttemptId == 0 ? null : [request.AttemptId]));
        return (true, null, Durability.Write);
    }

    /// <summary>The claim of an order's record on a reservation it was verified to hold (attempt ids are positive).</summary>
    private const long RecordClaim = -1;

    /// <summary>The attempts claiming a reservation once <paramref name="attemptId"/> has claimed it too.</summary>
    private static long[]? Claimed(long[]? attempts, long attemptId) =>
        attemptId == 0 || attempts?.Contains(attemptId) == true ? attempts : [.. attempts ?? [], attemptId];

    /// <summary>Adds units to reserved (in memory; the caller records the reservation and writes).</summary>
    private void Reserve(string orderId, IEnumerable<(string Sku, int Quantity)> perSku, string cause,
        List<(string Sku, StockState Stock, List<AlertChange> Alerts)> changed)
    {
        foreach (var (sku, quantity) in perSku)
        {
            var stock = S.Stock[sku];
            stock.Reserved += quantity;
            stock.Velocity = (stock.Velocity ?? Velocity.None).Add(quantity, clock.GetUtcNow());
            S.LoadToday += quantity;
            Record(MovementKind.Reserve, sku, quantity, stock.OnHand, stock.Reserved - quantity, stock, orderId, cause);
            changed.Add((sku, stock, CheckThresholds(sku, stock)));
        }
    }

    public async Task ReleaseAsync(string orderId)
    {
        var changed = new List<(string Sku, StockState Stock, List<AlertChange> Alerts)>();
        if (!Release(orderId, "order released its reservation", changed))
        {
            // Released already, maybe by a call whose write is still in flight: answer once that is durable.
            await Commit.DurableAsync();
            return;
        }
        await Commit.CommitAsync();

        await AfterStockChangedAsync(changed);
        SchedulePush();
    }

    public async Task ReleaseAttemptAsync(string orderId, long attemptId)
    {
        if (!_reservations.TryGet(orderId, out var reservation) || reservation.Verified || reservation.Attempts?.Contains(attemptId) != true)
        {
            // Not this attempt's (any more): nothing to give back, once what may be in flight is durable.
            await Commit.DurableAsync();
            return;
        }
        if (reservation.Attempts.Length > 1)
        {
            // Another attempt of the same order still claims it (in flight, or its record is written): it stays.
            _reservations.Set(reservation with { Attempts = [.. reservation.Attempts.Where(a => a != attemptId)] });
            await Commit.CommitAsync();
            return;
        }
        await ReleaseAsync(orderId);
    }

    public async Task SettleReservationsAsync(IReadOnlyList<Reservation> held, IReadOnlyList<Reservation> orphaned)
    {
        var dirty = false;
        var changed = new List<(string Sku, StockState Stock, List<AlertChange> Alerts)>();
        foreach (var checkedOne in held)
        {
            if (!IsStillUnverified(checkedOne, out var current)) continue;
            // What its order's record allocates here: a reservation that covered two attempts keeps only that.
            var trimmed = StockRules.Trim(PerSku(current.Lines), PerSku(checkedOne.Lines));
            Unreserve(current, trimmed.Where(t => t.Excess > 0).Select(t => (t.Sku, t.Excess)), "trimmed to what its order allocates here", changed);
            var lines = trimmed.Any(t => t.Excess > 0)
                ? [.. trimmed.Where(t => t.Keep > 0).Select(t => new OrderLine(t.Sku, t.Keep))]
                : current.Lines;
            _reservations.Set(current with { Lines = lines, Verified = true, Attempts = null });
            dirty = true;
        }
        foreach (var checkedOne in orphaned)
        {
            if (!IsStillUnverified(checkedOne, out _)) continue;
            LogReleasingUnheld(logger, Id, checkedOne.OrderId);
            dirty |= Release(checkedOne.OrderId, "expired: its order does not hold it (placement never completed)", changed);
        }
        if (!dirty) return;
        await Commit.CommitAsync();
        await AfterStockChangedAsync(changed);
        if (changed.Count > 0) SchedulePush();
    }

    private bool IsStillUnverified(Reservation checkedOne, out Reservation current) =>
        _reservations.TryGet(checkedOne.OrderId, out current) && !current.Verified && current.ReservedAt == checkedOne.ReservedAt;

    /// <summary>Gives an order's reserved units back (in memory; the caller saves). False if it held none.</summary>
    private bool Release(string orderId, string cause, List<(string Sku, StockState Stock, List<AlertChange> Alerts)> changed)
    {
        if (!_reservations.Remove(orderId, out var reservation)) return false;
        Unreserve(reservation, PerSku(reservation.Lines), cause, changed);
        return true;
    }

    /// <summary>Takes units of <paramref name="reservation"/> off reserved (in memory; the caller records what the
    /// reservation keeps and writes), and off today's load if it was reserved today: the mirror of <see cref="Reserve"/>.</summary>
    private void Unreserve(Reservation reservation, IEnumerable<(string Sku, int Quantity)> perSku, string cause,
        List<(string Sku, StockState Stock, List<AlertChange> Alerts)> changed)
    {
        var reservedToday = DateOnly.FromDateTime(reservation.ReservedAt.UtcDateTime) == S.LoadDate;
        foreach (var (sku, quantity) in perSku)
        {
            var stock = S.Stock[sku];
            stock.Reserved -= quantity;
            if (reservedToday) S.LoadToday = Math.Max(0, S.LoadToday - quantity);
            Record(MovementKind.Release, sku, -quantity, stock.OnHand, stock.Reserved + quantity, stock, reservation.OrderId, cause);
            changed.Add((sku, stock, CheckThresholds(sku, stock)));
        }
    }

    public async Task<bool> ShipAsync(string orderId)
    {
        if (!_reservations.Remove(orderId, out var reservation))
        {
            await Commit.DurableAsync();
            return false;
        }
        foreach (var (sku, quantity) in PerSku(reservation.Lines))
        {
            var stock = S.Stock[sku];
            stock.Reserved -= quantity;
            stock.OnHand -= quantity;
            Record(MovementKind.Ship, sku, -quantity, stock.OnHand + quantity, stock.Reserved + quantity, stock, orderId, "order shipped");
        }
        await Commit.CommitAsync();
        foreach (var (sku, _) in PerSku(reservation.Lines)) PublishInventory(sku, S.Stock[sku]);
        SchedulePush();
        return true;
    }

    public Task PublishSnapshotAsync() => S.Profile is null ? Task.CompletedTask : PushSnapshotAsync();

    /// <summary>Asks the placers of old unverified reservations whether their orders hold them, then settles the answers
    /// in one ordinary turn. The placer is the authority: the customer grain that placed the order (or the order grain, for
    /// a re-route) answers only after any placement (or re-route) in progress there has finished.</summary>
    private async Task CheckUnverifiedReservationsAsync(CancellationToken cancellationToken)
    {
        SendLedger();
        var options = expiryOptions.Value;
        var cutoff = clock.GetUtcNow() - options.UnverifiedAfter;
        try
        {
            await CheckTransferHoldsAsync(cutoff);
        }
        catch (Exception e)
        {
            LogCheckFailed(logger, e, Id);
        }
        var candidates = _reservations.All.Where(r => !r.Verified && r.ReservedAt < cutoff).Take(options.MaxChecksPerRound).ToList();
        if (candidates.Count == 0) return;
        try
        {
            var orders = await Task.WhenAll(candidates.Select(r => r.CustomerId is { } customerId
                ? GrainFactory.GetGrain<ICustomerGrain>(customerId).FindOrderAsync(r.OrderId)
                : GrainFactory.GetGrain<IOrderGrain>(r.OrderId).GetAsync()));
            var held = new List<Reservation>();
            var orphaned = new List<Reservation>();
            for (var i = 0; i < candidates.Count; i++)
            {
                // A held one goes with what its order allocates here (as its lines), to be trimmed to that.
                if (HoldsStockHere(orders[i])) held.Add(candidates[i] with { Lines = AllocatedHere(orders[i]!) });
                else orphaned.Add(candidates[i]);
            }
            await this.AsReference<IDistributorGrain>().SettleReservationsAsync(held, orphaned);
        }
        catch (Exception e)
        {
            LogCheckFailed(logger, e, Id);
        }
    }

    private OrderLine[] AllocatedHere(OrderView order) =>
        [.. order.Allocations.Where(a => a.DistributorId == Id).Select(a => new OrderLine(a.Sku, a.Quantity))];

    private bool HoldsStockHere(OrderView? order) =>
        order is not null && OrderRules.HoldsStock(order.Status) && order.Allocations.Any(a => a.DistributorId == Id);

    /// <summary>One group-commit write: saves the state with the movements it records, then sends those movements to
    /// the ledger. Runs synchronously up to the storage call, so no other turn changes the state it writes meanwhile.</summary>
    private async Task WriteAsync()
    {
        RoutingMetrics.StateWrites.Add(1);
        // Movements the ledger has confirmed leave the outbox with this write.
        S.PendingLedger.RemoveAll(m => _ledgerWrites.TryGetValue(m.Seq, out var w) && w.IsCompletedSuccessfully && w.Result);
        foreach (var seq in _ledgerWrites.Keys.Where(seq => !S.PendingLedger.Exists(m => m.Seq == seq)).ToList())
            _ledgerWrites.Remove(seq);
        // The stock and the reservation shelves are written side by side: if a crash lets one land and not the other,
        // the grain reconciles reserved with the shelves when it next activates (either way round); nothing written
        // here is acknowledged before both are durable.
        await Task.WhenAll(state.SaveAsync(this), _reservations.WriteAsync(this));
        SendLedger();
    }

    /// <summary>Sends outbox movements not already on their way; never changes the state (the timer calls it too).</summary>
    private void SendLedger()
    {
        var toSend = S.PendingLedger.Where(m => !_ledgerWrites.TryGetValue(m.Seq, out var w) || (w.IsCompleted && !(w.IsCompletedSuccessfully && w.Result))).ToList();
        if (toSend.Count == 0) return;
        var write = history.AppendLedgerAsync(toSend);
        foreach (var m in toSend) _ledgerWrites[m.Seq] = write;
    }

    private void Record(MovementKind kind, string sku, int quantity, int onHandBefore, int reservedBefore, StockState after, string? orderId, string cause) =>
        S.PendingLedger.Add(new LedgerMovement(Id, ++S.LedgerSeq, kind, sku, quantity, onHandBefore, after.OnHand,
            reservedBefore, after.Reserved, orderId, cause, clock.GetUtcNow()));

    /// <summary>Marks low-stock and out-of-stock crossings on the stock (persisted with it) and returns the alerts
    /// to raise once the change is durable. An alert fires when available crosses below, not on every order.</summary>
    private List<AlertChange> CheckThresholds(string sku, StockState stock)
    {
        var alerts = new List<AlertChange>();
        var low = StockRules.IsLow(stock.Available, stock.Threshold);
        if (low != stock.LowStockRaised)
        {
            stock.LowStockRaised = low;
            alerts.Add(new AlertChange(AlertKeys.LowStock(Id, sku), low
                ? new AlertDraft(AlertKind.LowStock, AlertKeys.LowStock(Id, sku),
                    $"{Id} {sku}: {stock.Available} available, below the threshold of {stock.Threshold}; restock",
                    DistributorId: Id, Sku: sku)
                : null));
        }
        var @out = StockRules.IsOut(stock.Available);
        if (@out != stock.OutOfStockRaised)
        {
            stock.OutOfStockRaised = @out;
            alerts.Add(new AlertChange(AlertKeys.OutOfStock(Id, sku), @out
                ? new AlertDraft(AlertKind.OutOfStock, AlertKeys.OutOfStock(Id, sku),
                    $"{Id} {sku}: out of stock ({stock.OnHand} on hand, {stock.Reserved} reserved)",
                    DistributorId: Id, Sku: sku)
                : null));
        }
        var forecast = Forecast(sku, stock);
        var lowCover = Cover.IsLow(forecast.DaysOfCover, forecastOptions.Value.LowCoverDays);
        if (lowCover != stock.LowCoverRaised)
        {
            stock.LowCoverRaised = lowCover;
            alerts.Add(new AlertChange(AlertKeys.LowCover(Id, sku), lowCover
                ? new AlertDraft(AlertKind.LowCover, AlertKeys.LowCover(Id, sku),
                    $"{Id} {sku}: {forecast.DaysOfCover:0.#} days of cover at {forecast.VelocityPerDay:0.#} a day, below {forecastOptions.Value.LowCoverDays:0.#}; " +
                    $"restock {forecast.SuggestedRestock}", DistributorId: Id, Sku: sku)
                : null));
        }
        return alerts;
    }

    /// <summary>Once the change is durable: publishes the stock levels and raises or clears alerts, after every
    /// earlier call's alerts (calls interleave here, and the log must see crossings in the order they happened).</summary>
    private Task AfterStockChangedAsync(List<(string Sku, StockState Stock, List<AlertChange> Alerts)> changed)
    {
        foreach (var (sku, stock, _) in changed) PublishInventory(sku, stock);
        if (changed.TrueForAll(c => c.Alerts.Count == 0)) return Task.CompletedTask;
        var previous = _alerts;
        return _alerts = RaiseAfterAsync(previous, changed);
    }

    private async Task RaiseAfterAsync(Task previous, List<(string Sku, StockState Stock, List<AlertChange> Alerts)> changed)
    {
        try { await previous; } catch { /* the earlier call reports its own failure */ }
        var log = GrainFactory.GetGrain<IAlertLogGrain>(0);
        foreach (var (_, _, alerts) in changed)
            foreach (var change in alerts)
            {
                if (change.Raise is null) await log.ClearAsync(change.Key);
                else await log.RaiseAsync(change.Raise);
            }
    }

    /// <summary>An alert to raise, or (when <see cref="Raise"/> is null) the open alert with this key to clear.</summary>
    private sealed record AlertChange(string Key, AlertDraft? Raise);

    private void PublishInventory(string sku, StockState stock)
    {
        var forecast = Forecast(sku, stock);
        events.Publish(new InventoryChanged(clock.GetUtcNow(), Id, sku, stock.OnHand, stock.Reserved, stock.Threshold,
            forecast.VelocityPerDay, forecast.DaysOfCover));
    }

    private void RollLoadDate()
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (S.LoadDate == today) return;
        S.LoadDate = today;
        S.LoadToday = 0;
    }

    private void SchedulePush()
    {
        if (_pushPending) return;
        _pushPending = true;
        _pushTimer ??= this.RegisterGrainTimer(OnPushTimerAsync, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _pushTimer.Change(SnapshotPushDelay, Timeout.InfiniteTimeSpan);
    }

    private Task OnPushTimerAsync(CancellationToken _)
    {
        _pushPending = false;
        snapshots.Put(Snapshot());
        return Task.CompletedTask;
    }

    /// <summary>Sends the snapshot now and waits until the directory has it (after a change made through the API).</summary>
    private Task PushSnapshotAsync() => snapshots.PushAsync(Snapshot());

    private DistributorSnapshot Snapshot()
    {
        RollLoadDate();
        var p = S.Profile!;
        var stock = S.Stock.ToDictionary(kv => kv.Key, kv => new StockLevel(kv.Value.Available, kv.Value.Threshold), StringComparer.Ordinal);
        return new DistributorSnapshot(Id, p.Active, p.Regions, p.Location, p.Priority, p.DailyCapacity, S.LoadToday, stock, S.LedgerSeq);
    }

    private DistributorSnapshot EmptySnapshot() =>
        new(Id, false, [], default, int.MaxValue, 0, 0, new Dictionary<string, StockLevel>());

    private InventoryItem ToItem(string sku, StockState s)
    {
        var forecast = Forecast(sku, s);
        return new(sku, s.OnHand, s.Reserved, s.Threshold)
        {
            Incoming = forecast.Incoming,
            VelocityPerDay = forecast.VelocityPerDay,
            DaysOfCover = forecast.DaysOfCover,
            SuggestedRestock = forecast.SuggestedRestock,
        };
    }

    /// <summary>The SKU's forecast now (<see cref="Velocity"/>, <see cref="Cover"/>): velocity, days of cover, the
    /// restock to the target cover.</summary>
    private (int Incoming, double VelocityPerDay, double? DaysOfCover, int SuggestedRestock) Forecast(string sku, StockState s)
    {
        var incoming = IncomingOf(sku);
        var perDay = (s.Velocity ?? Velocity.None).PerDay(clock.GetUtcNow());
        return (incoming, Math.Round(perDay, 2), Cover.Days(s.Available, incoming, perDay) is { } days ? Math.Round(days, 2) : null,
            Cover.SuggestedRestock(s.Available, incoming, perDay, forecastOptions.Value.TargetDaysOfCover));
    }

    private static IEnumerable<(string Sku, int Quantity)> PerSku(IEnumerable<OrderLine> lines) =>
        lines.GroupBy(l => l.Sku, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(l => l.Quantity)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Distributor {DistributorId} {Sku}: reserved was {Before}, its reservations hold {Reserved} (a write was cut short); reconciled")]
    private static partial void LogReconciled(ILogger logger, string distributorId, string sku, int before, int reserved);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Distributor {DistributorId}: releasing the reservation of order {OrderId}, which does not hold it")]
    private static partial void LogReleasingUnheld(ILogger logger, string distributorId, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Distributor {DistributorId}: checking unverified reservations or transfer holds failed; will try again")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, string distributorId);
}
