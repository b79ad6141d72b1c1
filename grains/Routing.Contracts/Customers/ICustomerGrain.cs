namespace Routing.Contracts.Customers;

/// <summary>A customer: profile, its orders, and its purchases per campaign (where per-customer limits are enforced).</summary>
public interface ICustomerGrain : IGrainWithStringKey
{
    Task<UpsertResult> UpsertAsync(CustomerProfile profile);

    [ReadOnly] Task<CustomerProfile?> GetAsync();

    /// <summary>Counts an order's units against the campaign limit; idempotent by order id.</summary>
    Task<LimitCheck> ReserveCampaignUnitsAsync(string campaignId, string orderId, int quantity, int limit);

    /// <summary>Gives an order's units back to the campaign limit; idempotent.</summary>
    Task ReleaseCampaignUnitsAsync(string campaignId, string orderId);

    /// <summary>Remembers an order of this customer; idempotent.</summary>
    Task AddOrderAsync(string orderId);

    [ReadOnly] Task<IReadOnlyList<string>> GetOrderIdsAsync();
}
