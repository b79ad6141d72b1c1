using Orleans.Storage;
using Routing.Contracts.Alerts;
using Routing.Contracts.Distributors;
using Routing.Contracts.Events;
using Routing.Contracts.Stock;
using Routing.Domain.Rules;
using Routing.Grains.Events;
using Routing.Grains.History;

namespace Routing.Grains.StockOperations;

/// <summary>One transfer between two distributors (调拨). Each step changes the stock first, at the distributor whose
/// stock it is (idempotent there by the transfer's id), and then the transfer's record: a step cut short by a crash is
/// finished by its retry, and a request whose record was never written has its hold given back by the source's check
/// (<see cref="IDistributorGrain.HoldForTransferAsync"/>). Not reentrant: one step at a time.</summary>
public sealed class TransferGrain(IOperationStore store, IRoutingEventPublisher events, TimeProvider clock) : Grain, ITransferGrain
{
    private int? _version;
    private TransferView? _transfer;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (version, body) = await store.ReadAsync(OperationKinds.Transfer, Id);
        (_version, _transfer) = (version, body is null ? null : OperationJson.Read<TransferView>(body));
    }

    public Task<TransferView?> GetAsync() => Task.FromResult(_transfer);

    public async Task<TransferResult> RequestAsync(string fromDistributorId, string toDistributorId, string sku, int quantity, string requestedBy)
    {
        var now = clock.GetUtcNow();
        var asked = new TransferView(Id, fromDistributorId, toDistributorId, sku, quantity, TransferStatus.Requested, null, requestedBy, now, now);
        if (_transfer is { } existing)
            return existing.Fingerprint() == asked.Fingerprint()
                ? new(TransferOutcome.Replayed, existing)
                : new(TransferOutcome.IdempotencyConflict, null, $"idempotency key already used for transfer {Id} of {existing.Quantity} {existing.Sku} from {existing.FromDistributorId} to {existing.ToDistributorId}");
        if (await GrainFactory.GetGrain<IDistributorGrain>(toDistributorId).GetProfileAsync() is null)
            return new(TransferOutcome.DistributorNotFound, null, $"distributor '{toDistributorId}' does not exist");
        switch (await GrainFactory.GetGrain<IDistributorGrain>(fromDistributorId).HoldForTransferAsync(Id, sku, quantity))
        {
            case StockOperationOutcome.DistributorNotFound:
                return new(TransferOutcome.DistributorNotFound, null, $"distributor '{fromDistributorId}' does not exist");
            case StockOperationOutcome.InsufficientStock:
                return new(TransferOutcome.InsufficientStock, null, $"{fromDistributorId} has fewer than {quantity} {sku} available to transfer");
        }
        await SaveAsync(asked);
        return new(TransferOutcome.Done, _transfer);
    }

    public async Task<TransferResult> DispatchAsync()
    {
        if (_transfer is not { } t) return new(TransferOutcome.NotFound, null);
        if (t.DispatchedAt is not null) return new(TransferOutcome.Done, t);
        if (t.Status != TransferStatus.Requested) return new(TransferOutcome.NotAllowed, t, $"transfer {Id} is {t.Status}; only a requested one is dispatched");
        await GrainFactory.GetGrain<IDistributorGrain>(t.FromDistributorId).DispatchTransferAsync(Id);
        await GrainFactory.GetGrain<IDistributorGrain>(t.ToDistributorId).ExpectTransferAsync(Id, t.Sku, t.Quantity);
        var now = clock.GetUtcNow();
        await SaveAsync(t with { Status = TransferStatus.InTransit, DispatchedAt = now, UpdatedAt = now });
        return new(TransferOutcome.Done, _transfer);
    }

    public async Task<TransferResult> ReceiveAsync(int receivedQuantity)
    {
        if (_transfer is not { } t) return new(TransferOutcome.NotFound, null);
        if (t.Status is TransferStatus.Received or TransferStatus.Discrepancy)
            return t.ReceivedQuantity == receivedQuantity
                ? new(TransferOutcome.Done, t)
                : new(TransferOutcome.NotAllowed, t, $"transfer {Id} was received already ({t.ReceivedQuantity} of {t.Quantity})");
        if (t.Status != TransferStatus.InTransit) return new(TransferOutcome.NotAllowed, t, $"transfer {Id} is {t.Status}; only one in transit is received");
        if (receivedQuantity > t.Quantity)
            return new(TransferOutcome.ReceivedExceedsDispatched, t, $"{receivedQuantity} received, but only {t.Quantity} were dispatched");
        await GrainFactory.GetGrain<IDistributorGrain>(t.ToDistributorId).ReceiveTransferAsync(Id, receivedQuantity);
        var now = clock.GetUtcNow();
        var status = receivedQuantity < t.Quantity ? TransferStatus.Discrepancy : TransferStatus.Received;
        await SaveAsync(t with { Status = status, ReceivedQuantity = receivedQuantity, ReceivedAt = now, UpdatedAt = now });
        if (status == TransferStatus.Discrepancy)
        {
            var key = AlertKeys.TransferDiscrepancy(Id);
            await GrainFactory.GetGrain<IAlertLogGrain>(0).RaiseAsync(new AlertDraft(AlertKind.TransferDiscrepancy, key,
                $"transfer {Id} of {t.Sku} from {t.FromDistributorId}: {t.Quantity} dispatched, {receivedQuantity} received, {t.Quantity - receivedQuantity} missing",
                DistributorId: t.ToDistributorId, Sku: t.Sku));
        }
        return new(TransferOutcome.Done, _transfer);
    }

    public async Task<TransferResult> CancelAsync()
    {
        if (_transfer is not { } t) return new(TransferOutcome.NotFound, null);
        if (t.Status == TransferStatus.Cancelled) return new(TransferOutcome.Done, t);
        if (t.Status != TransferStatus.Requested) return new(TransferOutcome.NotAllowed, t, $"transfer {Id} is {t.Status}; only one not yet dispatched is cancelled");
        await GrainFactory.GetGrain<IDistributorGrain>(t.FromDistributorId).ReleaseTransferAsync(Id);
        await SaveAsync(t with { Status = TransferStatus.Cancelled, UpdatedAt = clock.GetUtcNow() });
        return new(TransferOutcome.Done, _transfer);
    }

    /// <summary>Writes the transfer's record (version checked) and tells both distributors and ops it changed.</summary>
    private async Task SaveAsync(TransferView transfer)
    {
        var record = new OperationRecord(OperationKinds.Transfer, Id, transfer.Status.ToString(),
            [transfer.FromDistributorId, transfer.ToDistributorId], null, null, transfer.RequestedAt, OperationJson.Write(transfer));
        _version = await store.WriteAsync(record, _version) ?? throw Stale(Id, _version);
        _transfer = transfer;
        events.Publish(new TransferChanged(transfer.UpdatedAt, transfer));
    }

    /// <summary>Another activation wrote the record since this one read it: this one is stale and goes.</summary>
    internal static InconsistentStateException Stale(string id, int? version) =>
        new($"operation {id} was changed elsewhere since this activation read it (expected version {version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"})",
            storedEtag: "unknown", currentEtag: version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none");
}
