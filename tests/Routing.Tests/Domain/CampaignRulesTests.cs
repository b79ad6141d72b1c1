using CsCheck;
using Routing.Domain;
using Routing.Domain.Rules;

namespace Routing.Tests.Domain;

/// <summary>A campaign's status and price standing from its schedule, tiers and units sold.</summary>
public sealed class CampaignRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddHours(2);

    [Theory]
    [InlineData(-1, 0, CampaignStatus.Scheduled)]
    [InlineData(0, 0, CampaignStatus.Open)]
    [InlineData(60, 99, CampaignStatus.Open)]
    [InlineData(60, 100, CampaignStatus.SoldOut)]
    [InlineData(120, 9, CampaignStatus.NotFormed)]
    [InlineData(120, 10, CampaignStatus.Formed)]
    public void The_status_follows_the_clock_the_cap_and_the_minimum(int minutes, int sold, CampaignStatus expected) =>
        Assert.Equal(expected, CampaignRules.StatusAt(Start.AddMinutes(minutes), Start, End, cap: 100, minUnits: 10, sold));

    [Fact]
    public void The_price_is_the_lowest_reached_and_the_next_tier_is_the_first_that_lowers_it() =>
        Gen.Select(Gen.Int[0, 200].Select(Gen.Int[50, 150], (m, p) => (MinUnits: m, Price: (decimal)p)).Array[0, 5], Gen.Int[0, 250])
            .Sample((tiers, sold) =>
            {
                const decimal basePrice = 120m;
                var price = CampaignRules.PriceAt(basePrice, tiers, sold);
                Assert.Equal(tiers.Where(t => sold >= t.MinUnits).Select(t => t.Price).Append(basePrice).Min(), price);
                Assert.True(CampaignRules.PriceAt(basePrice, tiers, sold + 1) <= price, "selling more raised the price");
                Assert.Equal(tiers.Count(t => sold >= t.MinUnits && t.Price < basePrice), CampaignRules.TiersReached(basePrice, tiers, sold));
                var next = CampaignRules.NextTier(basePrice, tiers, sold);
                var lowering = Enumerable.Range(sold + 1, 250).FirstOrDefault(n => CampaignRules.PriceAt(basePrice, tiers, n) < price);
                if (next is { } tier)
                {
                    Assert.Equal(lowering, tier.MinUnits);
                    Assert.True(CampaignRules.PriceAt(basePrice, tiers, tier.MinUnits) <= tier.Price, "the next tier's price does not apply at its units");
                }
                else Assert.Equal(0, lowering);
            });
}
