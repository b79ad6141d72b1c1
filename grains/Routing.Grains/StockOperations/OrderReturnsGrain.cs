using Routing.Contracts.Customers;
using Routing.Contracts.Distributors;
using Routing.Contracts.Orders;
using Routing.Contracts.Stock;
using Routing.Domain;
using Routing.Domain.Rules;
using Routing.Grains.History;

namespace Routing.Grains.StockOperations;

/// <summary>The returns (退换货) of one order. Requests are decided here one at a time (not reentrant), against what the
/// order shipped less what its earlier returns asked for, so racing requests never return more than was shipped. Each
/// return's record is its truth; this grain reads them when it activates. Receiving changes the stock first (at the
/// return's distributor, idempotent there by the return's id), then routes the exchange's replacement (idempotent by its
/// key), then writes the record: a receipt cut short by a crash is finished by its retry, counting once.</summary>
public sealed class OrderReturnsGrain(IOperationStore store, TimeProvider clock) : Grain, IOrderReturnsGrain
{
    private readonly Dictionary<string, (int Version, ReturnView Return)> _returns = new(StringComparer.Ordinal);

    private string OrderId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        for (var page = 1; ; page++)
        {
            var found = await store.FindAsync(new OperationSearch(OperationKinds.Return, OrderId: OrderId, Page: page, PageSize: 500));
            foreach (var body in found.Items)
            {
                var id = OperationJson.Read<ReturnView>(body).ReturnId;
                var (version, current) = await store.ReadAsync(OperationKinds.Return, id);
                if (version is { } v && current is not null) _returns[id] = (v, OperationJson.Read<ReturnView>(current));
            }
            if ((long)page * 500 >= found.Total) break;
        }
    }

    public Task<IReadOnlyList<ReturnView>> ListAsync() =>
        Task.FromResult<IReadOnlyList<ReturnView>>([.. _returns.Values.Select(r => r.Return).OrderBy(r => r.RequestedAt)]);

    public async Task<ReturnResult> RequestAsync(string returnId, IReadOnlyList<ReturnLine> lines, string reason, bool exchange, string? distributorId)
    {
        var now = clock.GetUtcNow();
        if (await GrainFactory.GetGrain<IOrderGrain>(OrderId).GetAsync() is not { } order)
            return new(ReturnOutcome.NotFound, null, $"order '{OrderId}' does not exist");
        if (_returns.TryGetValue(returnId, out var existing))
        {
            var again = existing.Return with { Lines = lines, Reason = reason, Exchange = exchange };
            return again.Fingerprint() == existing.Return.Fingerprint() && (distributorId is null || distributorId == existing.Return.DistributorId)
                ? new(ReturnOutcome.Replayed, existing.Return)
                : new(ReturnOutcome.IdempotencyConflict, null, $"idempotency key already used for return {returnId} of order {OrderId}");
        }
        if (order.Status is not (OrderStatus.Shipped or OrderStatus.Completed))
            return new(ReturnOutcome.NotShipped, null, $"order {OrderId} is {order.Status}; only a shipped or completed order's goods come back");

        // The distributor it goes back to: the one named, or the one that shipped every SKU asked for.
        var skus = lines.Select(l => l.Sku).ToHashSet(StringComparer.Ordinal);
        var shippers = order.Allocations.Where(a => skus.Contains(a.Sku)).Select(a => a.DistributorId).Distinct(StringComparer.Ordinal).ToList();
        var to = distributorId ?? (shippers.Count == 1 ? shippers[0] : null);
        if (to is null)
            return shippers.Count == 0
                ? new(ReturnOutcome.ExceedsShipped, null, $"order {OrderId} shipped none of {string.Join(", ", skus.Order(StringComparer.Ordinal))}")
                : new(ReturnOutcome.SpansDistributors, null,
                    $"those lines were shipped by {string.Join(" and ", shippers)}: name the distributorId a return goes back to (one per return)");

        var returnable = StockOperationRules.Returnable(
            order.Allocations.Where(a => a.DistributorId == to).Select(a => (a.Sku, a.Quantity)),
            _returns.Values.Select(r => r.Return).Where(r => r.DistributorId == to).SelectMany(r => r.Lines).Select(l => (l.Sku, l.Quantity)));
        if (StockOperationRules.Exceeding(lines.Select(l => (l.Sku, l.Quantity)), returnable) is { } over)
            return new(ReturnOutcome.ExceedsShipped, null,
                $"{over.Asked} {over.Sku} asked back, but only {over.Left} of what {to} shipped on order {OrderId} is not returned already");

        var view = new ReturnView(returnId, OrderId, order.CustomerId, to, ReturnStatus.Requested, lines, reason, exchange, now, now);
        await SaveAsync(view);
        return new(ReturnOutcome.Done, view);
    }

    public async Task<ReturnResult> ReceiveAsync(string returnId, IReadOnlyList<ReceivedLine> lines)
    {
        if (!_returns.TryGetValue(returnId, out var entry)) return new(ReturnOutcome.NotFound, null, $"return '{returnId}' does not exist");
        var r = entry.Return;
        if (r.Status == ReturnStatus.Received)
            return SameReceipt(r.Received ?? [], lines)
                ? new(ReturnOutcome.Done, r)
                : new(ReturnOutcome.NotAllowed, r, $"return {returnId} was received already, with a different receipt");
        var asked = r.Lines.ToDictionary(l => l.Sku, l => l.Quantity, StringComparer.Ordinal);
        if (!StockOperationRules.ReceiptFits(lines.Select(l => (l.Sku, l.Resellable + l.Damaged)), asked))
            return new(ReturnOutcome.ExceedsReturn, r, $"a receipt names only the return's SKUs, each no more than asked back ({Describe(r.Lines)})");

        await GrainFactory.GetGrain<IDistributorGrain>(r.DistributorId).ReceiveReturnAsync(returnId, lines);
        string? replacement = null;
        var back = lines.Where(l => l.Resellable + l.Damaged > 0).Select(l => new OrderLine(l.Sku, l.Resellable + l.Damaged)).ToList();
        if (r.Exchange && back.Count > 0)
        {
            var placed = await GrainFactory.GetGrain<ICustomerGrain>(r.CustomerId)
                .PlaceAsync(new PlaceOrder(r.CustomerId, null, back, OperationIds.ExchangeKey(returnId)));
            replacement = placed.Order?.OrderId;
        }
        var now = clock.GetUtcNow();
        var received = r with { Status = ReturnStatus.Received, Received = lines, ReceivedAt = now, UpdatedAt = now, ReplacementOrderId = replacement };
        await SaveAsync(received);
        return new(ReturnOutcome.Done, received);
    }

    private async Task SaveAsync(ReturnView view)
    {
        int? expected = _returns.TryGetValue(view.ReturnId, out var current) ? current.Version : null;
        var record = new OperationRecord(OperationKinds.Return, view.ReturnId, view.Status.ToString(), [view.DistributorId], view.OrderId,
            view.CustomerId, view.RequestedAt, OperationJson.Write(view));
        var version = await store.WriteAsync(record, expected) ?? throw TransferGrain.Stale(view.ReturnId, expected);
        _returns[view.ReturnId] = (version, view);
    }

    private static bool SameReceipt(IReadOnlyList<ReceivedLine> a, IReadOnlyList<ReceivedLine> b) =>
        a.OrderBy(l => l.Sku, StringComparer.Ordinal).SequenceEqual(b.OrderBy(l => l.Sku, StringComparer.Ordinal));

    private static string Describe(IEnumerable<ReturnLine> lines) => string.Join(", ", lines.Select(l => $"{l.Quantity} {l.Sku}"));
}
