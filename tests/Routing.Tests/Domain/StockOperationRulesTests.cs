using CsCheck;
using Routing.Domain.Rules;

namespace Routing.Tests.Domain;

/// <summary>The stock operations' rules on their own: what a return may still ask for, and how a stocktake applies.</summary>
public sealed class StockOperationRulesTests
{
    private static readonly (string, int)[] Shipped = [("UREA", 10), ("DAP", 4), ("UREA", 2)];

    [Fact]
    public void What_can_come_back_is_shipped_less_what_earlier_returns_asked_for()
    {
        var returnable = StockOperationRules.Returnable(Shipped, [("UREA", 5)]);
        Assert.Equal((7, 4), (returnable["UREA"], returnable["DAP"]));
        Assert.Null(StockOperationRules.Exceeding([("UREA", 7), ("DAP", 4)], returnable));
        Assert.Equal(("UREA", 7, 8), StockOperationRules.Exceeding([("UREA", 8)], returnable));
        Assert.Equal(("MOP", 0, 1), StockOperationRules.Exceeding([("MOP", 1)], returnable));
    }

    [Fact]
    public void A_receipt_fits_when_it_names_only_the_returns_skus_each_within_what_was_asked()
    {
        var asked = new Dictionary<string, int> { ["UREA"] = 4 };
        Assert.True(StockOperationRules.ReceiptFits([("UREA", 4)], asked));
        Assert.True(StockOperationRules.ReceiptFits([("UREA", 0)], asked));
        Assert.False(StockOperationRules.ReceiptFits([("UREA", 5)], asked));
        Assert.False(StockOperationRules.ReceiptFits([("DAP", 1)], asked));
    }

    [Fact]
    public void A_stocktake_applies_its_difference_to_today_unless_that_goes_below_reserved() =>
        Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 1000], Gen.Int[0, 1000], Gen.Int[0, 1000]).Sample((counted, expected, onHand, reservedSeed) =>
        {
            var reserved = Math.Min(reservedSeed, onHand);
            var (difference, after, applied) = StockOperationRules.Stocktake(counted, expected, onHand, reserved);
            Assert.Equal(counted - expected, difference);
            Assert.Equal(onHand + difference >= reserved, applied);
            Assert.Equal(applied ? onHand + difference : onHand, after);
            Assert.True(after >= reserved);
        });

    [Fact]
    public void Sap_wins_down_to_what_is_reserved_and_no_further() =>
        Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 1000], Gen.Int[0, 1000], Gen.Int[0, 1000]).Sample((sap, ours, onHand, reservedSeed) =>
        {
            var reserved = Math.Min(reservedSeed, onHand);
            var (difference, applied, shortfall) = StockOperationRules.Reconcile(sap, ours, onHand, reserved);
            Assert.Equal(sap - ours, difference);
            Assert.Equal(onHand + difference < reserved, shortfall);
            Assert.Equal(shortfall ? reserved : onHand + difference, onHand + applied);
        });
}
