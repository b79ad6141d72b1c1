using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Silo.Postgres;

namespace Routing.Tests.Grains;

/// <summary>Orders saved before fulfilment was per share (grain state in Orleans' binary encoding, history rows as
/// JSON) still read, with one share per allocated distributor at the order's status.</summary>
public sealed class OrdersStoredBeforeSharesTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly Allocation[] Split = [new("d-01", "UREA-50", 6), new("d-02", "UREA-50", 4), new("d-01", "UREA-40", 1)];

    [Fact]
    public void Grain_state_written_without_shares_reads_with_a_share_per_distributor()
    {
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        var stored = serializer.SerializeToArray(new OrderViewBeforeShares("o-1", "c-1", "gb-1", OrderStatus.Confirmed,
            [new OrderLine("UREA-50", 11)], Split, 118m, null, [], [], null, At, At.AddMinutes(5)));

        var order = serializer.Deserialize<OrderView>(stored)!;

        Assert.Equal(OrderStatus.Confirmed, order.Status);
        Assert.Equal(Split, order.Allocations);
        Assert.Equal([new("d-01", OrderStatus.Confirmed, At.AddMinutes(5)), new("d-02", OrderStatus.Confirmed, At.AddMinutes(5))], order.Shares);
    }

    [Theory]
    [InlineData(OrderStatus.Allocated, OrderStatus.Allocated)]
    [InlineData(OrderStatus.Shipped, OrderStatus.Shipped)]
    [InlineData(OrderStatus.Cancelled, OrderStatus.Allocated)]
    public void A_history_row_without_shares_reads_with_a_share_per_distributor(OrderStatus status, OrderStatus shares)
    {
        var row = JsonSerializer.SerializeToNode(new OrderView("o-1", "c-1", null, status, [new OrderLine("UREA-50", 11)], Split,
            null, null, [], [], null, At, At), PostgresRoutingHistory.Json)!.AsObject();
        Assert.True(row.Remove("shares"));

        var order = row.Deserialize<OrderView>(PostgresRoutingHistory.Json)!;

        Assert.Equal([("d-01", shares), ("d-02", shares)], order.Shares.Select(s => (s.DistributorId, s.Status)));
        // Written again, the row has them.
        Assert.Equal(2, JsonSerializer.SerializeToNode(order, PostgresRoutingHistory.Json)!["shares"]!.AsArray().Count);
    }

    /// <summary>The order as it was stored before it had shares: the same members, without field 13.</summary>
    [GenerateSerializer]
    public sealed record OrderViewBeforeShares(
        [property: Id(0)] string OrderId,
        [property: Id(1)] string CustomerId,
        [property: Id(2)] string? CampaignId,
        [property: Id(3)] OrderStatus Status,
        [property: Id(4)] IReadOnlyList<OrderLine> Lines,
        [property: Id(5)] IReadOnlyList<Allocation> Allocations,
        [property: Id(6)] decimal? UnitPrice,
        [property: Id(7)] string? Reason,
        [property: Id(8)] IReadOnlyList<Substitution> Substitutions,
        [property: Id(9)] IReadOnlyList<SubstituteSuggestion> Suggestions,
        [property: Id(10)] RoutingExplanation? Explanation,
        [property: Id(11)] DateTimeOffset PlacedAt,
        [property: Id(12)] DateTimeOffset UpdatedAt);
}
