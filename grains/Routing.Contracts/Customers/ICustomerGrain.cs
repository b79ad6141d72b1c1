using Routing.Contracts.Orders;

namespace Routing.Contracts.Customers;

/// <summary>A customer: its profile, and where its orders are placed. An order id is derived from the customer and the
/// idempotency key, so a customer's retries all reach this grain, which places one request at a time: it is the
/// serialization point of a placement (idempotency) and decides the per-campaign limits from its live count.</summary>
public interface ICustomerGrain : IGrainWithStringKey
{
    Task<UpsertResult> UpsertAsync(CustomerProfile profile);

    [ReadOnly] Task<CustomerProfile?> GetAsync();

    /// <summary>Places an order of this customer (<see cref="PlaceOrder.CustomerId"/> must be this grain's); a retry
    /// with the same idempotency key answers the first attempt's order (<see cref="PlaceOutcome.Replayed"/>).</summary>
    Task<PlaceResult> PlaceAsync(PlaceOrder command);

    /// <summary>One of this customer's orders as the journal holds it, answered only after any placement in progress
    /// here has finished (so a reservation's check never sees a placement half done); null when there is none.</summary>
    Task<OrderView?> FindOrderAsync(string orderId);

    /// <summary>Gives an order's units back to the campaign limit; idempotent.</summary>
    Task ReleaseCampaignUnitsAsync(string campaignId, string orderId);
}
