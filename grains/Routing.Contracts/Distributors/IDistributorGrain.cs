using Routing.Domain;

namespace Routing.Contracts.Distributors;

/// <summary>One distributor: profile, stock per SKU, reservations and today's load. The only place stock is decided.</summary>
public interface IDistributorGrain : IGrainWithStringKey
{
    Task<UpsertResult> UpsertProfileAsync(DistributorProfile profile);

    [ReadOnly] Task<DistributorProfile?> GetProfileAsync();

    /// <summary>Sets on hand and threshold of a SKU (stock truth from the ERP, or a stocktake).</summary>
    Task<StockUpdateResult> SetStockAsync(string sku, int onHand, int threshold);

    [ReadOnly] Task<IReadOnlyList<InventoryItem>> GetInventoryAsync();

    [ReadOnly] Task<IReadOnlyList<Reservation>> GetReservationsAsync();

    /// <summary>Reserves every line or none. Idempotent by order id: a repeat returns success without reserving twice.</summary>
    Task<ReservationResult> ReserveAsync(string orderId, IReadOnlyList<OrderLine> lines);

    /// <summary>Reserves for many orders in one turn and one durable write, each order all or nothing and answered
    /// alone (the answers in the order of the requests); idempotent per order id like <see cref="ReserveAsync"/>.</summary>
    Task<IReadOnlyList<ReservationResult>> ReserveManyAsync(IReadOnlyList<ReservationRequest> requests);

    /// <summary>Releases an order's reservation; idempotent (releasing nothing is fine).</summary>
    Task ReleaseAsync(string orderId);

    /// <summary>A failed placement attempt gives back its claim on an order's reservation: released only when no other
    /// attempt of the order still claims it and it is not verified (its order's record holds it). Idempotent.</summary>
    Task ReleaseAttemptAsync(string orderId, long attemptId);

    /// <summary>Turns an order's reservation into a shipment: on hand and reserved both drop. Idempotent.</summary>
    Task<bool> ShipAsync(string orderId);

    /// <summary>Settles unverified reservations after their orders were asked (used by the grain's own expiry timer):
    /// marks <paramref name="held"/> verified, trimmed to the lines each carries here (what its order allocates at this
    /// distributor), and releases <paramref name="orphaned"/>, each only if the reservation is still the one that was
    /// checked (same reservation time).</summary>
    Task SettleReservationsAsync(IReadOnlyList<Reservation> held, IReadOnlyList<Reservation> orphaned);

    /// <summary>Pushes this distributor's snapshot to the directory (used when the directory reactivates).</summary>
    [OneWay] Task PublishSnapshotAsync();
}
