using Routing.Domain.Explaining;

namespace Routing.Domain.Rules;

/// <summary>A step ops can take on an exception order with one click: route it again, accept one of its suggested
/// substitutes (<see cref="Sku"/>), or cancel it.</summary>
[GenerateSerializer, Immutable, Alias("suggestedAction")]
public sealed record SuggestedAction([property: Id(0)] string Action, [property: Id(1)] string? Sku = null)
{
    public const string Reroute = "reroute";
    public const string AcceptSubstitute = "acceptSubstitute";
    public const string Cancel = "cancel";
}

/// <summary>The exception queue (异常订单): orders that could not be allocated and wait for a substitute, for stock, or for
/// a person; why, as one code taken from their routing explanation, and what can be done about it.</summary>
public static class ExceptionRules
{
    public const string NoEligibleDistributor = "noEligibleDistributor";
    public const string InsufficientStock = "insufficientStock";
    public const string CapacityExhausted = "capacityExhausted";
    public const string WholeOrderNotFillable = "wholeOrderNotFillable";
    public const string ManualReviewPolicy = "manualReviewPolicy";

    /// <summary>Whether an order at this status is in the queue (<see cref="OrderRules.CanReroute"/>: it waits).</summary>
    public static bool InQueue(OrderStatus status) => OrderRules.CanReroute(status);

    /// <summary>Why an order that could not be allocated was not, from the findings of its routing: the first that says
    /// why a unit could not be placed, by kind. An order sent to manual review is there because its policy says so.
    /// Null for an order that was allocated.</summary>
    public static string? CauseOf(OrderStatus status, IEnumerable<Finding> decisions)
    {
        if (status == OrderStatus.Exception) return ManualReviewPolicy;
        if (status is not (OrderStatus.AwaitingSubstitution or OrderStatus.Backordered or OrderStatus.Rejected)) return null;
        return decisions.OfType<Unfillable>().Select(u => Category(u.Cause)).FirstOrDefault() ?? InsufficientStock;
    }

    private static string Category(Finding cause) => cause switch
    {
        NoCandidates or NoneEligible or UnknownDistributor or DistributorInactive => NoEligibleDistributor,
        NoCapacityForUnits or SplitCapacityShort or DailyCapacityShort => CapacityExhausted,
        NoSingleHolder => WholeOrderNotFillable,
        Shortages { Each: [var first, ..] } => Category(first),
        _ => InsufficientStock, // none in stock, not enough anywhere, not coverable by splits, stock short or changing
    };

    /// <summary>What ops can do with an order in the queue: accept each suggested substitute, route it again (stock
    /// may be in now), or cancel it.</summary>
    public static IReadOnlyList<SuggestedAction> Actions(OrderStatus status, IEnumerable<string> suggestedSubstitutes) =>
        !InQueue(status) ? []
        : [.. suggestedSubstitutes.Distinct(StringComparer.Ordinal).Select(sku => new SuggestedAction(SuggestedAction.AcceptSubstitute, sku)),
            new SuggestedAction(SuggestedAction.Reroute), new SuggestedAction(SuggestedAction.Cancel)];
}
