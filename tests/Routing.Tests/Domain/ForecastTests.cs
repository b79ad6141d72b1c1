using CsCheck;
using Routing.Domain.Rules;

namespace Routing.Tests.Domain;

/// <summary>The forecast's rules (库存预测): how velocity follows sales and decays, days of cover, restock and transfers.</summary>
public sealed class ForecastTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_steady_trickle_of_sales_converges_on_its_true_rate()
    {
        // 10 units every 2.4 hours, for 60 days: 100 a day.
        var velocity = Velocity.None;
        for (var i = 0; i < 600; i++) velocity = velocity.Add(10, Start + TimeSpan.FromHours(2.4 * i));
        var at = Start + TimeSpan.FromHours(2.4 * 600);
        Assert.InRange(velocity.DecayedTo(at).Slow, 90, 110);
        // The fast rate saws around it between sales (here, just before the next one: at its lowest).
        Assert.InRange(velocity.DecayedTo(at).Fast, 80, 100);
        Assert.InRange(velocity.PerDay(at), 90, 110);
    }

    [Fact]
    public void A_flash_sale_shows_at_once_and_the_weekly_trend_holds_after_it()
    {
        var velocity = Velocity.None;
        for (var minute = 0; minute < 10; minute++) velocity = velocity.Add(100, Start + TimeSpan.FromMinutes(minute));
        var end = Start + TimeSpan.FromMinutes(10);
        // 1,000 units in 10 minutes: at once ~2,770 a day on the fast rate (a half-life of 6 hours).
        Assert.InRange(velocity.PerDay(end), 2700, 2780);
        // Each rate halves every half-life: the fast one after 6 hours, the slow one after 7 days.
        Assert.Equal(velocity.DecayedTo(end).Fast / 2, velocity.DecayedTo(end + Velocity.FastHalfLife).Fast, 6);
        Assert.Equal(velocity.DecayedTo(end).Slow / 2, velocity.DecayedTo(end + Velocity.SlowHalfLife).Slow, 6);
        // Two days later the fast rate has faded and the slow one (the week's trend, ~99 a day) is the velocity.
        var later = end + TimeSpan.FromDays(2);
        Assert.Equal(velocity.DecayedTo(later).Slow, velocity.PerDay(later));
        Assert.InRange(velocity.PerDay(later), 80, 90);
    }

    [Fact]
    public void Velocity_never_goes_below_zero_and_a_time_before_its_last_sale_changes_nothing() =>
        Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 100_000], Gen.Int[0, 100_000]).Sample((units, first, second) =>
        {
            var velocity = Velocity.None.Add(units, Start + TimeSpan.FromMinutes(first));
            var at = Start + TimeSpan.FromMinutes(second);
            Assert.True(velocity.PerDay(at) >= 0);
            if (second <= first) Assert.Equal(velocity, velocity.DecayedTo(at));
            else Assert.True(velocity.PerDay(at) <= velocity.PerDay(Start + TimeSpan.FromMinutes(first)));
        });

    [Fact]
    public void Cover_is_available_and_incoming_over_velocity_and_none_when_nothing_sells()
    {
        Assert.Equal(5.0, Cover.Days(40, 10, 10));
        Assert.Equal(0.0, Cover.Days(-5, 0, 10));
        Assert.Null(Cover.Days(100, 0, 0));
        Assert.True(Cover.IsLow(2.9, 3));
        Assert.False(Cover.IsLow(3, 3));
        Assert.False(Cover.IsLow(null, 3));
    }

    [Fact]
    public void The_restock_brings_stock_with_what_is_on_its_way_to_the_target_cover()
    {
        Assert.Equal(100, Cover.SuggestedRestock(available: 30, incoming: 10, perDay: 10, targetDays: 14));
        Assert.Equal(0, Cover.SuggestedRestock(available: 200, incoming: 0, perDay: 10, targetDays: 14));
        Assert.Equal(0, Cover.SuggestedRestock(available: 5, incoming: 0, perDay: 0, targetDays: 14));
        Assert.Equal(60, Cover.Surplus(available: 200, incoming: 0, perDay: 10, targetDays: 14));
        Assert.Equal(0, Cover.Surplus(available: 100, incoming: 0, perDay: 10, targetDays: 14));
    }

    [Fact]
    public void Transfers_come_from_the_nearest_distributors_with_surplus_until_the_need_is_met()
    {
        var suggestions = Cover.SuggestTransfers(100, [("far", 500, 80), ("near", 30, 5), ("none", 0, 1), ("mid", 50, 20), ("midB", 50, 20)]);
        Assert.Equal([("near", 30), ("mid", 50), ("midB", 20)], suggestions);
        Assert.Empty(Cover.SuggestTransfers(0, [("near", 30, 5)]));
        Assert.Equal(2, Cover.SuggestTransfers(1000, [("a", 1, 1), ("b", 1, 2), ("c", 1, 3)], maxSuggestions: 2).Count);
    }
}
