namespace Routing.Contracts.Orders;

/// <summary>One order, keyed by an id derived from the customer and the idempotency key, so retries land on the same grain.</summary>
public interface IOrderGrain : IGrainWithStringKey
{
    Task<PlaceResult> PlaceAsync(PlaceOrder command);

    [ReadOnly] Task<OrderView?> GetAsync();

    /// <summary>Routes an order awaiting substitution, backordered or in review again, optionally with one of its
    /// suggested substitutes accepted. Changes the order only if it can now be allocated in full.</summary>
    Task<TransitionResult> RerouteAsync(string? substituteSku);

    Task<TransitionResult> CancelAsync(string reason);

    Task<TransitionResult> ConfirmAsync();

    Task<TransitionResult> ShipAsync();

    Task<TransitionResult> CompleteAsync();
}
