namespace Routing.Contracts.Customers;

/// <summary>A customer: profile, and its purchases per campaign (where per-customer limits are enforced).</summary>
public interface ICustomerGrain : IGrainWithStringKey
{
    Task<UpsertResult> UpsertAsync(CustomerProfile profile);

    [ReadOnly] Task<CustomerProfile?> GetAsync();

    /// <summary>Counts an order's units against the campaign limit; idempotent by order id. Live state: the order's
    /// journal record is what makes it durable.</summary>
    Task<LimitCheck> ReserveCampaignUnitsAsync(string campaignId, string orderId, int quantity, int limit);

    /// <summary>Gives an order's units back to the campaign limit; idempotent.</summary>
    Task ReleaseCampaignUnitsAsync(string campaignId, string orderId);
}
