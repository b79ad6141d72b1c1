namespace Routing.Contracts.Orders;

/// <summary>One placed order, keyed by its id (derived from the customer and the idempotency key). Placed by its
/// customer's grain (<c>ICustomerGrain.PlaceAsync</c>), which writes its first journal record; this grain activates from
/// that record when the order is read or changed.</summary>
public interface IOrderGrain : IGrainWithStringKey
{
    [ReadOnly] Task<OrderView?> GetAsync();

    /// <summary>Routes an order awaiting substitution, backordered or in review again, optionally with one of its
    /// suggested substitutes accepted. Changes the order only if it can now be allocated in full.</summary>
    Task<TransitionResult> RerouteAsync(string? substituteSku);

    /// <summary>Cancels the order, unless part of it has shipped or (when not <paramref name="byOps"/>: the customer) a
    /// distributor has confirmed its share (<see cref="TransitionOutcome.NotAllowed"/>; the rule is OrderRules').
    /// <paramref name="cancelReason"/> is the code it answers as why (by default, who cancelled: <c>byOps</c> or
    /// <c>byCustomer</c>); a paid order's payment becomes due for a refund.</summary>
    Task<TransitionResult> CancelAsync(string reason, bool byOps, string? cancelReason = null);

    // Fulfilment is per share (OrderShare): distributorId names the one share to move, and null moves every share
    // (ops). Each share must be at the step before or, a harmless repeat, already at this one; otherwise nothing
    // changes and the answer is NotAllowed, as it is for a distributor without a share. The order's status is its
    // least advanced share's.

    /// <summary>Pays the order's pending payment (in full, by its deadline); idempotent by <paramref name="paymentId"/>.</summary>
    Task<PaymentResult> PayAsync(string paymentId, decimal amount);

    /// <summary>Records the refund a cancelled paid order is due; idempotent by <paramref name="refundId"/>.</summary>
    Task<PaymentResult> RefundAsync(string refundId);

    /// <summary>Cancels the order if a deadline of its has passed, giving back what it holds: its payment's, unpaid
    /// (<c>paymentExpired</c>); its review's, undecided (<c>rejectedInReview</c>); its pre-order's, unconfirmed
    /// (<c>preorderExpired</c>). Otherwise changes nothing. True when this call cancelled it.</summary>
    Task<bool> ExpireIfDueAsync();

    /// <summary>Approves an order held for review: OnHold → Allocated, with the reservations it has (its payment window,
    /// if any, starts now). An approved order again is a harmless repeat.</summary>
    Task<TransitionResult> ApproveAsync();

    /// <summary>Rejects an order held for review: cancelled (<c>rejectedInReview</c>), everything it holds given back.</summary>
    Task<TransitionResult> RejectAsync(string reason);

    /// <summary>Confirms a pre-order: PreOrder → Allocated, the same order with the same reservations. A confirmed
    /// pre-order again is a harmless repeat.</summary>
    Task<TransitionResult> ConfirmPreOrderAsync();

    /// <summary>Allocated → Confirmed, for one distributor's share or (null) every share.</summary>
    Task<TransitionResult> ConfirmAsync(string? distributorId = null);

    /// <summary>Confirmed → Shipped, for one distributor's share or (null) every share: each shipping distributor
    /// takes its own reserved units off its stock.</summary>
    Task<TransitionResult> ShipAsync(string? distributorId = null);

    /// <summary>Shipped → Completed, for one distributor's share or (null) every share.</summary>
    Task<TransitionResult> CompleteAsync(string? distributorId = null);
}
