using Microsoft.Extensions.Logging;
using Routing.Contracts.Orders;
using Routing.Grains.History;

namespace Routing.Grains.Orders;

/// <summary>The deadlines of orders waiting for a decision: held orders the review rules auto-reject, pre-orders that
/// expire. The journal indexes each such order by its <c>expiresAt</c>; this grain sweeps it every second
/// (<see cref="DeadlineSweepGrain"/>). Started when a silo starts and kept by a durable reminder, so a restart or a
/// silo's death only delays it; late orders are then cancelled at once. It never stops: each tick is one indexed query
/// that finds nothing most of the time.</summary>
public sealed class DecisionSweepGrain(IOrderJournal journal, TimeProvider clock, ILogger<DecisionSweepGrain> logger)
    : DeadlineSweepGrain(logger), IDecisionSweepGrain
{
    protected override string ReminderName => "decisions";

    protected override Task<IReadOnlyList<string>> DueAsync(int limit) => journal.DecisionsDueAsync(clock.GetUtcNow(), limit);
}
