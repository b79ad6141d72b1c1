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
/// Every call checks and changes stock synchronously, in one turn with no await in between, so reserved ≤ on hand always
/// holds. Reservations are live state, never written here: an order's reservations become durable with its journal
/// record, and each activation rebuilds them from the journal (<see cref="IOrderJournal.OrdersHoldingStockAtAsync"/>)
/// after taking a new epoch (<see cref="IOrderJournal.BeginEpochAsync"/>), which fences out every journal write of a
/// reservation made by an earlier activation. So a reservation costs no write here, and the reserved count lives in one
/// place. What else changes stock (receipts, shipments, transfers, stocktakes) is written with group commit before it is
/// answered. Alerts are raised in the order of the changes. Every stock movement goes to the ledger in the background,
/// in order (an outbox in the state for those whose change is written here).</summary>
[Reentrant]
public sealed partial class DistributorGrain(
    [PersistentState("distributor", StorageNames.Routing)] IPersistentState<DistributorState> state,
    IRoutingEventPublisher events,
    SnapshotOutbox snapshots,
    IRoutingHistory history,
    IOrderJournal journal,
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
    /// <summary>The ledger write in flight: one at a time, in order, so the ledger always holds a prefix of the movements
    /// (an activation goes on from its end).</summary>
    private Task? _ledgerSend;
    /// <summary>Movements of changes whose state write has not finished: they (and what follows them) wait for it before
    /// they go to the ledger, so the ledger never shows a change the state could lose.</summary>
    private readonly SortedSet<long> _awaitingWrite = [];
    /// <summary>Changes since the last state write that need none before they are answered (reservations' effects on
    /// today's load, velocity, alert marks, the ledger's numbering): written by the timer or on deactivation.</summary>
    private bool _unsaved;
    /// <summary>This activation's epoch: its reservations are durable only through journal records that name it.</summary>
    private long _epoch;
    /// <summary>Alert changes go to the log one call's batch after another, in the order the stock changed.</summary>
    private Task _alerts = Task.CompletedTask;

    private GroupCommit Commit => field ??= new GroupCommit(WriteAsync);
    /// <summary>Open reservations by order: rebuilt from the journal on activation, changed in memory only.</summary>
    private readonly Dictionary<string, Reservation> _reservations = new(StringComparer.Ordinal);

    private string Id => this.GetPrimaryKeyString();
    private DistributorState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The epoch first: from here on no reservation of an earlier activation becomes durable, and every one that did
        // is in what the journal answers next.
        _epoch = await journal.BeginEpochAsync(Id);
        var holding = await journal.OrdersHoldingStockAtAsync(Id);
        var tail = await history.LedgerTailAsync(Id, S.LedgerSeq);
        if (tail.Count > 0) S.LedgerSeq = Math.Max(S.LedgerSeq, tail.Values.Max(m => m.Seq));
        foreach (var order in holding)
        {
            // A share shipped here whose order's record does not say so yet (its write came after this one's) holds nothing.
            if (S.Applied.ContainsKey(ShippedKey(order.OrderId))) continue;
            var lines = HeldHere(order);
            if (lines.Length > 0)
                _reservations[order.OrderId] = new Reservation(order.OrderId, lines, order.UpdatedAt, Verified: true, CustomerId: order.CustomerId);
        }
        var expiry = expiryOptions.Value;
        // Interleaving: while it asks the placers (customer or order grains) about reservations, they may be calling this grain.
        this.RegisterGrainTimer(CheckUnverifiedReservationsAsync,
            new GrainTimerCreationOptions(expiry.CheckEvery, expiry.CheckEvery) { Interleave = true });
        var rebuilt = RebuildReserved(tail);
        if (rebuilt.Count > 0)
        {
            await Commit.CommitAsync();
            await AfterStockChangedAsync(rebuilt);
        }
        SendLedger();
        if (S.Profile is not null) await PushSnapshotAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (!_unsaved) return;
        try
        {
            await Commit.CommitAsync();
        }
        catch (Exception e)
        {
            LogSaveFailed(logger, e, Id);
        }
    }

    /// <summary>What an order of the journal holds here: its allocated lines, while it holds stock and its share here has
    /// not shipped (<see cref="OrderRules.HoldsStockAt"/>); none otherwise.</summary>
    private OrderLine[] HeldHere(OrderView order)
    {
        var share = order.Shares.FirstOrDefault(s => s.DistributorId == Id)?.Status ?? order.Status;
        return OrderRules.HoldsStockAt(order.Status, share) ? AllocatedHere(order) : [];
    }

    /// <summary>Sets each SKU's reserved to what the rebuilt reservations and the transfer holds hold. Where that differs
    /// from what the ledger last said (its tail beyond the saved state, else the saved state), a movement bridges the two
    /// with why: reservations whose placements never wrote their orders went with the last activation, and ones whose
    /// movements had not reached the ledger come back from the journal.</summary>
    private List<(string Sku, StockState Stock, List<AlertChange> Alerts)> RebuildReserved(IReadOnlyDictionary<string, LedgerMovement> tail)
    {
        var held = PerSku(_reservations.Values.SelectMany(r => r.Lines)
                .Concat(S.TransferHolds.Values.Select(h => new OrderLine(h.Sku, h.Quantity))))
            .ToDictionary(x => x.Sku, x => x.Quantity, StringComparer.Ordinal);
        var changed = new List<(string Sku, StockState Stock, List<AlertChange> Alerts)>();
        foreach (var sku in held.Keys.Where(sku => !S.Stock.ContainsKey(sku)).ToList()) S.Stock[sku] = new StockState();
        foreach (var (sku, stock) in S.Stock)
        {
            var saved = stock.Reserved;
            var last = tail.TryGetValue(sku, out var movement) ? movement.ReservedAfter : saved;
            var reserved = held.GetValueOrDefault(sku);
            stock.Reserved = reserved;
            if (reserved != last)
            {
                LogRebuilt(logger, Id, sku, last, reserved);
                Record(reserved > last ? MovementKind.Reserve : MovementKind.Release, sku, reserved - last, stock.OnHand, last, stock, null,
                    "rebuilt from the order journal when the distributor activated");
            }
            if (reserved != saved || reserved != last) changed.Add((sku, stock, CheckThresholds(sku, stock)));
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
        Task.FromResult<IReadOnlyList<Reservation>>(_reservations.Values.OrderBy(r => r.ReservedAt).ToList());

    public async Task<ReservationResult> ReserveAsync(string orderId, IReadOnlyList<OrderLine> lines) =>
        (await ReserveManyAsync([new ReservationRequest(orderId, [.. lines], CustomerId: null)]))[0];

    public async Task<IReadOnlyList<ReservationResult>> ReserveManyAsync(IReadOnlyList<ReservationRequest> requests)
    {
        // Every request is decided in this one turn, with no await in between; nothing is written here (each order's
        // journal record makes its reservation durable, naming this activation's epoch).
        var changed = new List<(string Sku, StockState Stock, List<AlertChange> Alerts)>();
        var outcomes = new (bool Success, Finding? Refusal)[requests.Count];
        for (var i = 0; i < requests.Count; i++) outcomes[i] = TryReserve(requests[i], changed);
        Changed(changed);

        var reserved = outcomes.Count(o => o.Success);
        RoutingMetrics.Reservations.Add(reserved);
        RoutingMetrics.ReservationsRefused.Add(requests.Count - reserved);
        await AfterStockChangedAsync(changed);
        if (changed.Count > 0) SchedulePush();
        // One snapshot answers the whole batch: on a refusal, it is what is actually left after every request here.
        var snapshot = S.Profile is null ? EmptySnapshot() : Snapshot();
        return [.. outcomes.Select(o => new ReservationResult(o.Success, o.Refusal, snapshot, _epoch))];
    }

    /// <summary>After a change that needs no write before its answer (reservations and their releases): marks the state
    /// unsaved (the timer saves it) and sends its movements to the ledger.</summary>
    private void Changed(List<(string Sku, StockState Stock, List<AlertChange> Alerts)> changed)
    {
        if (changed.Count == 0) return;
        _unsaved = true;
        SendLedger();
    }

    /// <summary>Decides one request synchronously: reserves every line or none (in memory).</summary>
    private (bool Success, Finding? Refusal) TryReserve(ReservationRequest request,
        List<(string Sku, StockState Stock, List<AlertChange> Alerts)> changed)
    {
        var (orderId, lines) = (request.OrderId, request.Lines);
        if (S.Profile is null) return (false, new UnknownDistributor());
        if (_reservations.TryGetValue(orderId, out var existing))
        {
            // A retried placement (or a re-route) under the same order id. If it routed differently, the reservation
            // grows to cover both attempts, all or nothing; its check trims it to the order's record later.
            var (covering, growth) = StockRules.Widen(PerSku(existing.Lines), PerSku(lines));
            if (growth.Count > 0)
            {
                if (!S.Profile.Active) return (false, new DistributorInactive());
                RollLoadDate();
                if (StockRules.CannotReserve(growth, sku => S.Stock.GetValueOrDefault(sku)?.Available ?? 0, S.LoadToday, S.Profile.DailyCapacity) is { } shortBy)
                    return (false, shortBy);
                Reserve(orderId, growth, "a retry routed differently: its reservation grows to cover both attempts", changed);
                _reservations[orderId] = existing with
                {
                    Lines = [.. covering.Select(c => new OrderLine(c.Sku, c.Quantity))],
                    ReservedAt = clock.GetUtcNow(),
                    Verified = false,
                    // A verified one is its order's record's: that claim stays until the check has looked again.
                    Attempts = Claimed(existing.Verified ? [RecordClaim] : existing.Attempts, request.AttemptId),
                };
                return (true, null);
            }
            // The same (or less): the reservation counts as new again, so an expiry check made before the retry (which
            // found no order) cannot release it. A verified one is its order's record's already.
            if (existing.Verified) return (true, null);
            _reservations[orderId] = existing with { ReservedAt = clock.GetUtcNow(), Attempts = Claimed(existing.Attempts, request.AttemptId) };
            return (true, null);
        }
        if (!S.Profile.Active) return (false, new DistributorInactive());

        RollLoadDate();
        if (StockRules.CannotReserve(PerSku(lines), sku => S.Stock.GetValueOrDefault(sku)?.Available ?? 0, S.LoadToday, S.Profile.DailyCapacity) is { } why)
            return (false, why);
        Reserve(orderId, PerSku(lines), "order reserved", changed);
        _reservations[orderId] = new Reservation(orderId, lines, clock.GetUtcNow(), CustomerId: request.CustomerId,
            Attempts: request.AttemptId == 0 ? null : [request.AttemptId]);
        return (true, null);
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
            Record(MovementKind.Reserve, sku, quantity, stock.OnHand, stock.Reserved - quantity, stock, orderId, cause, awaitsWrite: false);
            changed.Add((sku, stock, CheckThresholds(sku, stock)));
        }
    }

    public async Task ReleaseAsync(string orderId)
    {
        // Nothing to write: the order's record no longer holds it (or never did), and the next activation rebuilds from that.
        var changed = new List<(string Sku, StockState Stock, List<AlertChange> Alerts)>();
        if (!Release(orderId, "order released its reservation", changed)) return;
        Changed(changed);
        await AfterStockChangedAsync(changed);
        SchedulePush();
    }

    public async Task ReleaseAttemptAsync(string orderId, long attemptId)
    {
        // Not this attempt's (any more): nothing to give back.
        if (!_reservations.TryGetValue(orderId, out var reservation) || reservation.Verified || reservation.Attempts?.Contains(attemptId) != true) return;
        if (reservation.Attempts.Length > 1)
        {
            // Another attempt of the same order still claims it (in flight, or its record is written): it stays.
            _reservations[orderId] = reservation with { Attempts = [.. reservation.Attempts.Where(a => a != attemptId)] };
            return;
        }
        await ReleaseAsync(orderId);
    }

    public Task ReservationsMovedAsync(long epoch)
    {
        // A newer activation holds this distributor's reservations: this one answers for nothing any more.
        if (epoch == _epoch)
        {
            LogSuperseded(logger, Id, epoch);
            DeactivateOnIdle();
        }
        return Task.CompletedTask;
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
            _reservations[current.OrderId] = current with { Lines = lines, Verified = true, Attempts = null };
            dirty = true;
        }
        foreach (var checkedOne in orphaned)
        {
            if (!IsStillUnverified(checkedOne, out _)) continue;
            LogReleasingUnheld(logger, Id, checkedOne.OrderId);
            dirty |= Release(checkedOne.OrderId, "expired: its order does not hold it (placement never completed)", changed);
        }
        if (!dirty) return;
        Changed(changed);
        await AfterStockChangedAsync(changed);
        if (changed.Count > 0) SchedulePush();
    }

    private bool IsStillUnverified(Reservation checkedOne, out Reservation current) =>
        _reservations.TryGetValue(checkedOne.OrderId, out current!) && !current.Verified && current.ReservedAt == checkedOne.ReservedAt;

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
            Record(MovementKind.Release, sku, -quantity, stock.OnHand, stock.Reserved + quantity, stock, reservation.OrderId, cause, awaitsWrite: false);
            changed.Add((sku, stock, CheckThresholds(sku, stock)));
        }
    }

    public async Task<bool> ShipAsync(string orderId)
    {
        if (!_reservations.Remove(orderId, out var reservation))
        {
            // Shipped before (maybe by a call whose write is in flight): answer once that is durable.
            await Commit.DurableAsync();
            return S.Applied.ContainsKey(ShippedKey(orderId));
        }
        // Remembered with the stock: until the order's record says its share shipped, the journal still shows it holding
        // stock here, and an activation in between must not reserve it again.
        Remember(ShippedKey(orderId));
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
        if (_unsaved)
        {
            try
            {
                await Commit.CommitAsync();
            }
            catch (Exception e)
            {
                LogSaveFailed(logger, e, Id);
            }
        }
        var candidates = _reservations.Values.Where(r => !r.Verified && r.ReservedAt < cutoff).Take(options.MaxChecksPerRound).ToList();
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

    /// <summary>One group-commit write: saves the state with the movements it records, then lets those movements go to
    /// the ledger. Runs synchronously up to the storage call (which serializes the state at once), so no other turn
    /// changes what it writes meanwhile.</summary>
    private async Task WriteAsync()
    {
        RoutingMetrics.StateWrites.Add(1);
        var upTo = S.LedgerSeq;
        _unsaved = false;
        await state.SaveAsync(this);
        _awaitingWrite.RemoveWhere(seq => seq <= upTo);
        SendLedger();
    }

    /// <summary>Sends the outbox's movements to the ledger, in order and one write at a time, up to the first whose change
    /// is still being written; a movement leaves the outbox once the ledger has it (the timer retries a failed write).</summary>
    private void SendLedger()
    {
        if (_ledgerSend is { IsCompleted: false }) return;
        var writtenUpTo = _awaitingWrite.Count > 0 ? _awaitingWrite.Min - 1 : long.MaxValue;
        var toSend = S.PendingLedger.TakeWhile(m => m.Seq <= writtenUpTo).ToList();
        if (toSend.Count == 0) return;
        _ledgerSend = AppendAsync(toSend);
    }

    private async Task AppendAsync(List<LedgerMovement> movements)
    {
        if (!await history.AppendLedgerAsync(movements)) return;
        var last = movements[^1].Seq;
        S.PendingLedger.RemoveAll(m => m.Seq <= last);
        _ledgerSend = null;
        SendLedger();
    }

    /// <summary>Numbers a movement and puts it in the outbox. One whose change is written here (<paramref name="awaitsWrite"/>)
    /// waits for that write before it goes to the ledger; a reservation's goes at once (its order's record is its truth).</summary>
    private void Record(MovementKind kind, string sku, int quantity, int onHandBefore, int reservedBefore, StockState after, string? orderId, string cause,
        bool awaitsWrite = true)
    {
        S.PendingLedger.Add(new LedgerMovement(Id, ++S.LedgerSeq, kind, sku, quantity, onHandBefore, after.OnHand,
            reservedBefore, after.Reserved, orderId, cause, clock.GetUtcNow()));
        if (awaitsWrite) _awaitingWrite.Add(S.LedgerSeq);
    }

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
        var lowCover = forecast.LowCover;
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
            forecast.VelocityPerDay, forecast.DaysOfCover, forecast.SuggestedRestock, forecast.LowCover));
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
        return new DistributorSnapshot(Id, p.Active, p.Regions, p.Location, p.Priority, p.DailyCapacity, S.LoadToday, stock, SnapshotVersion);
    }

    /// <summary>Orders the distributor's snapshots: by activation, then by movement (an activation may number again
    /// movements that never reached the ledger, so the number alone could go back).</summary>
    private long SnapshotVersion => (_epoch << 40) | S.LedgerSeq;

    private static string ShippedKey(string orderId) => $"shipped:{orderId}";

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
            LowCover = forecast.LowCover,
        };
    }

    /// <summary>The SKU's forecast now (<see cref="Velocity"/>, <see cref="Cover"/>): velocity, days of cover, the
    /// restock to the target cover.</summary>
    private (int Incoming, double VelocityPerDay, double? DaysOfCover, int SuggestedRestock, bool LowCover) Forecast(string sku, StockState s)
    {
        var incoming = IncomingOf(sku);
        var perDay = (s.Velocity ?? Velocity.None).PerDay(clock.GetUtcNow());
        var days = Cover.Days(s.Available, incoming, perDay);
        return (incoming, Math.Round(perDay, 2), days is { } d ? Math.Round(d, 2) : null,
            Cover.SuggestedRestock(s.Available, incoming, perDay, forecastOptions.Value.TargetDaysOfCover), Cover.IsLow(days, forecastOptions.Value.LowCoverDays));
    }

    private static IEnumerable<(string Sku, int Quantity)> PerSku(IEnumerable<OrderLine> lines) =>
        lines.GroupBy(l => l.Sku, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(l => l.Quantity)));

    [LoggerMessage(Level = LogLevel.Information, Message = "Distributor {DistributorId} {Sku}: the ledger last said {Before} reserved, the orders of the journal hold {Reserved}; rebuilt")]
    private static partial void LogRebuilt(ILogger logger, string distributorId, string sku, int before, int reserved);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Distributor {DistributorId}: a newer activation took over from epoch {Epoch}; this one goes")]
    private static partial void LogSuperseded(ILogger logger, string distributorId, long epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Distributor {DistributorId}: saving its state failed; its reservations are in the journal, the rest is saved with the next write")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception, string distributorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Distributor {DistributorId}: releasing the reservation of order {OrderId}, which does not hold it")]
    private static partial void LogReleasingUnheld(ILogger logger, string distributorId, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Distributor {DistributorId}: checking unverified reservations or transfer holds failed; will try again")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, string distributorId);
}
