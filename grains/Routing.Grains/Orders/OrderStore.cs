using Orleans.Storage;
using Routing.Grains.History;

namespace Routing.Grains.Orders;

/// <summary>Orders as the journal keeps them: an <see cref="OrderState"/> in, an <see cref="OrderRecord"/> out (the state
/// Orleans-serialized, with its listed row beside it), and back. The order grains' storage and the customer grains'
/// placements both go through here, so an order's record is made one way.</summary>
public sealed class OrderStore(IOrderJournal journal, IGrainStorageSerializer serializer)
{
    /// <summary>The order's record version and state, or (null, null) when the journal has no such order.</summary>
    public async Task<(int? Version, OrderState? State)> ReadAsync(string orderId)
    {
        var (version, bytes) = await journal.ReadAsync(orderId);
        return (version, bytes is null ? null : serializer.Deserialize<OrderState>(new BinaryData(bytes)));
    }

    /// <summary>Writes the order's record if it is still at <paramref name="expectedVersion"/> (null: it must not exist
    /// yet); its new version once durable, or null when another writer got there first.
    /// The reservations named by <see cref="OrderState.Fences"/> are checked with it, once (a moved distributor fails it
    /// with <see cref="ReservationsMovedException"/>).</summary>
    public Task<int?> WriteAsync(OrderState state, int? expectedVersion)
    {
        var order = state.Order ?? throw new InvalidOperationException("only a placed order is written to the journal");
        var record = new OrderRecord(order with { Explanation = null }, state.Revision, serializer.Serialize(state).ToArray(), state.Fences);
        state.Fences = [];
        return journal.WriteAsync(record, expectedVersion);
    }
}
