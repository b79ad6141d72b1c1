namespace Routing.Contracts.Orders;

/// <summary>The payment deadlines of one campaign (keyed by campaign id): cancels its orders left unpaid past their
/// deadline. One per campaign with a payment window, not a reminder per order.</summary>
public interface IPaymentSweepGrain : IGrainWithStringKey
{
    /// <summary>Makes sure the sweep runs (idempotent): its durable reminder brings it back after a restart.</summary>
    Task StartAsync();

    /// <summary>Cancels every order of the campaign whose payment has expired unpaid; how many it cancelled.</summary>
    Task<int> SweepAsync();
}
