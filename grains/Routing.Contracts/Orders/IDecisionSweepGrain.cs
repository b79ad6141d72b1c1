namespace Routing.Contracts.Orders;

/// <summary>The deadlines of orders waiting for a decision (one, key 0): held orders the review rules auto-reject and
/// pre-orders that expire, wherever they were placed. Not a reminder per order: one sweep over the journal's index.</summary>
public interface IDecisionSweepGrain : IGrainWithIntegerKey
{
    /// <summary>Makes sure the sweep runs (idempotent): its durable reminder brings it back after a restart.</summary>
    Task StartAsync();

    /// <summary>Cancels every order whose decision deadline has passed; how many it cancelled.</summary>
    Task<int> SweepAsync();
}
