using Routing.Contracts.Orders;
using Routing.Domain;

namespace Routing.Grains.History;

/// <summary>Which orders an analysis counts: placed in [<see cref="From"/>, <see cref="To"/>), of a campaign and/or with an
/// allocation at a distributor (null: any). Hours of the day are counted at <see cref="UtcOffsetMinutes"/> from UTC.</summary>
public sealed record AnalyticsQuery(DateTimeOffset From, DateTimeOffset To, string? CampaignId, string? DistributorId, int UtcOffsetMinutes);

/// <summary>What the analytics count of one order, taken from it once, when its record is written (PostgreSQL keeps these
/// as columns of <c>routing_orders</c>, so an analysis never parses the order): the units it asked for and routing
/// allocated it, whether they were all allocated at the customer's home distributor (null: the customer had none, or
/// nothing was allocated), the cause of a failure, and per distributor allocated to (in the order of
/// <see cref="Distributors"/>, which is the record's <c>distributor_ids</c>) its units and the minutes from placing to
/// its confirming its share (null until it did).</summary>
public sealed record OrderFacts(
    int Ordered,
    int Allocated,
    bool? AtHome,
    string? Cause,
    IReadOnlyList<string> Distributors,
    IReadOnlyList<int> Units,
    IReadOnlyList<double?> ConfirmMinutes)
{
    public static OrderFacts Of(OrderView order)
    {
        var distributors = order.Allocations.Select(a => a.DistributorId).Distinct(StringComparer.Ordinal).ToList();
        return new OrderFacts(
            order.Lines.Sum(l => l.Quantity),
            order.Allocations.Sum(a => a.Quantity),
            order.HomeDistributorId is null || order.Allocations.Count == 0 ? null : order.Allocations.All(a => a.DistributorId == order.HomeDistributorId),
            order.Cause,
            distributors,
            [.. distributors.Select(d => order.Allocations.Where(a => a.DistributorId == d).Sum(a => a.Quantity))],
            [.. distributors.Select(d => order.Shares.FirstOrDefault(s => s.DistributorId == d)?.ConfirmedAt is { } at ? (at - order.PlacedAt).TotalMinutes : (double?)null)]);
    }

    /// <summary>The units allocated at <paramref name="distributorId"/> (null: everywhere).</summary>
    public int AllocatedAt(string? distributorId) =>
        distributorId is null ? Allocated : Distributors.Select((d, i) => d == distributorId ? Units[i] : 0).Sum();
}

/// <summary>Orders alike in what the analysis counts of them (<see cref="OrderFacts"/>): their status, failure cause, hour
/// of the day placed, whether routing allocated all they asked for, and whether at the customer's home distributor.
/// <see cref="Allocated"/> counts the query's distributor's units when it names one. The history groups its orders into
/// these (PostgreSQL in SQL, memory in LINQ); what they add up to is <see cref="OrderAnalytics.Of"/>'s alone.</summary>
public sealed record OrderGroup(OrderStatus Status, string? Cause, int Hour, bool Filled, bool? AtHome, long Orders, long Ordered, long Allocated)
{
    public static OrderGroup Of(OrderView order, string? distributorId, int utcOffsetMinutes)
    {
        var facts = OrderFacts.Of(order);
        return new OrderGroup(order.Status, facts.Cause, order.PlacedAt.ToOffset(TimeSpan.FromMinutes(utcOffsetMinutes)).Hour, facts.Allocated >= facts.Ordered,
            facts.AtHome, 1, facts.Ordered, facts.AllocatedAt(distributorId));
    }
}

/// <summary>One distributor's part of the orders analysed: how many have an allocation there, its units, and the median
/// minutes from placing to its confirming its share (null when none was confirmed).</summary>
public sealed record DistributorFigures(string DistributorId, long Orders, long Units, double? ConfirmMedianMinutes);

/// <summary>Orders by outcome.</summary>
public sealed record OrderCounts(long Placed, long Allocated, long Rejected, long Cancelled, long OnHold, long Exception, long PreOrder);

public sealed record UnitCounts(long Ordered, long Allocated);

public sealed record ReasonCount(string Code, long Count);

public sealed record HourCount(int Hour, long Orders);

/// <summary>Order analytics (订单经营) over a period, a campaign and/or a distributor. Definitions, in this one place:
/// <list type="bullet">
/// <item><c>orders.placed</c>: every order placed in the period; <c>allocated</c>: those allocated now or since confirmed,
/// shipped or completed; <c>rejected</c>, <c>cancelled</c>, <c>onHold</c>, <c>preOrder</c> by status; <c>exception</c>:
/// in the exception queue (Exception, Backordered, AwaitingSubstitution).</item>
/// <item><c>units.ordered</c>: the units the orders asked for; <c>units.allocated</c>: the units routing allocated them
/// (at the query's distributor, when it names one), whatever became of the order since (a cancelled order that had been
/// allocated counts).</item>
/// <item><c>fillRate</c> = units allocated ÷ units ordered; <c>orderFillRate</c> = orders allocated all they asked ÷ orders
/// placed; <c>homeDistributorRate</c> = orders allocated wholly at the customer's home distributor ÷ orders allocated to
/// customers with one. Null when there is nothing to divide by.</item>
/// <item><c>failureReasons</c>: the cause codes (from the routing explanation) of orders rejected or in the exception
/// queue, most frequent first; <c>byHour</c>: orders per hour of the day (0–23, all of them); <c>byDistributor</c>: per
/// distributor with allocations, most orders first.</item>
/// </list></summary>
public sealed record OrderAnalytics(
    DateTimeOffset From,
    DateTimeOffset To,
    string? CampaignId,
    string? DistributorId,
    OrderCounts Orders,
    UnitCounts Units,
    double? FillRate,
    double? OrderFillRate,
    double? HomeDistributorRate,
    IReadOnlyList<ReasonCount> FailureReasons,
    IReadOnlyList<HourCount> ByHour,
    IReadOnlyList<DistributorFigures> ByDistributor)
{
    public static bool IsAllocated(OrderStatus status) =>
        status is OrderStatus.Allocated or OrderStatus.Confirmed or OrderStatus.Shipped or OrderStatus.Completed;

    public static bool IsException(OrderStatus status) =>
        status is OrderStatus.Exception or OrderStatus.Backordered or OrderStatus.AwaitingSubstitution;

    public static OrderAnalytics Of(AnalyticsQuery query, IReadOnlyList<OrderGroup> groups, IReadOnlyList<DistributorFigures> distributors)
    {
        long Count(Func<OrderGroup, bool> which) => groups.Where(which).Sum(g => g.Orders);
        var placed = Count(_ => true);
        var ordered = groups.Sum(g => g.Ordered);
        var allocated = groups.Sum(g => g.Allocated);
        var withHome = Count(g => g.AtHome is not null);
        return new OrderAnalytics(query.From, query.To, query.CampaignId, query.DistributorId,
            new OrderCounts(placed, Count(g => IsAllocated(g.Status)), Count(g => g.Status == OrderStatus.Rejected), Count(g => g.Status == OrderStatus.Cancelled),
                Count(g => g.Status == OrderStatus.OnHold), Count(g => IsException(g.Status)), Count(g => g.Status == OrderStatus.PreOrder)),
            new UnitCounts(ordered, allocated),
            Rate(allocated, ordered),
            Rate(Count(g => g.Filled), placed),
            Rate(Count(g => g.AtHome == true), withHome),
            [.. groups.Where(g => g.Status == OrderStatus.Rejected || IsException(g.Status))
                .GroupBy(g => g.Cause ?? "unknown", StringComparer.Ordinal)
                .Select(c => new ReasonCount(c.Key, c.Sum(g => g.Orders)))
                .OrderByDescending(c => c.Count).ThenBy(c => c.Code, StringComparer.Ordinal)],
            [.. Enumerable.Range(0, 24).Select(h => new HourCount(h, Count(g => g.Hour == h)))],
            [.. distributors.OrderByDescending(d => d.Orders).ThenBy(d => d.DistributorId, StringComparer.Ordinal)
                .Select(d => d with { ConfirmMedianMinutes = d.ConfirmMedianMinutes is { } m ? Math.Round(m, 1) : null })]);
    }

    /// <summary>The median as PostgreSQL's <c>percentile_cont(0.5)</c> takes it: the middle value, or the mean of the two.</summary>
    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return null;
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double? Rate(long part, long whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);

    /// <summary>The figures as a spreadsheet reads them: one <c>figure,key,value</c> row each.</summary>
    public string Csv()
    {
        var rows = new List<string> { "figure,key,value" };
        void Add(string figure, string key, object? value) =>
            rows.Add($"{figure},{key},{Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)}");
        Add("orders", "placed", Orders.Placed);
        Add("orders", "allocated", Orders.Allocated);
        Add("orders", "rejected", Orders.Rejected);
        Add("orders", "cancelled", Orders.Cancelled);
        Add("orders", "onHold", Orders.OnHold);
        Add("orders", "exception", Orders.Exception);
        Add("orders", "preOrder", Orders.PreOrder);
        Add("units", "ordered", Units.Ordered);
        Add("units", "allocated", Units.Allocated);
        Add("fillRate", "", FillRate);
        Add("orderFillRate", "", OrderFillRate);
        Add("homeDistributorRate", "", HomeDistributorRate);
        foreach (var reason in FailureReasons) Add("failureReason", reason.Code, reason.Count);
        foreach (var hour in ByHour) Add("ordersByHour", hour.Hour.ToString(System.Globalization.CultureInfo.InvariantCulture), hour.Orders);
        foreach (var d in ByDistributor)
        {
            Add("distributorOrders", d.DistributorId, d.Orders);
            Add("distributorUnits", d.DistributorId, d.Units);
            Add("distributorConfirmMedianMinutes", d.DistributorId, d.ConfirmMedianMinutes);
        }
        return string.Join('\n', rows) + "\n";
    }
}
