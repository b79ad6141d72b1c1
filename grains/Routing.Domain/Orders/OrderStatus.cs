namespace Routing.Domain;

/// <summary>Where an order is in its life; what each status allows is <see cref="Rules.OrderRules"/>. The numbers are
/// what stored orders hold (1 was the first; a status is never renumbered).</summary>
public enum OrderStatus
{
    /// <summary>Reserved at its distributors, waiting for them to confirm.</summary>
    Allocated = 1,
    /// <summary>Every share confirmed by its distributor.</summary>
    Confirmed = 2,
    /// <summary>Every share shipped (off its distributor's stock).</summary>
    Shipped = 3,
    Completed = 4,
    /// <summary>Not fillable; the policy rejected it. Holds nothing.</summary>
    Rejected = 5,
    /// <summary>Cancelled by the customer, ops, or a campaign that did not form. Holds nothing.</summary>
    Cancelled = 6,
    /// <summary>Needs a person: the routing policy sent it to manual review.</summary>
    Exception = 7,
    /// <summary>Not fillable as ordered; in-stock substitutes are suggested.</summary>
    AwaitingSubstitution = 8,
    /// <summary>Not fillable now; waiting for stock.</summary>
    Backordered = 9,
    /// <summary>Reserved at its distributors, but it broke a review rule (its holds say which): it waits for ops to approve
    /// (→ Allocated) or reject it; no distributor can confirm it meanwhile.</summary>
    OnHold = 10,
    /// <summary>Taken by a sales manager for a customer and reserved at its distributors until it expires: confirmed, it
    /// becomes Allocated with the same reservations.</summary>
    PreOrder = 11,
}
