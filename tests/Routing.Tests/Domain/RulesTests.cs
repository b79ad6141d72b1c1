using System.Globalization;
using CsCheck;
using Routing.Domain.Rules;

namespace Routing.Tests.Domain;

/// <summary>The rules the grains call, as plain C#: the campaign's cap, the per-customer limit and stock reservation,
/// checked over many random cases (CsCheck shrinks a failing one to the smallest it can find).</summary>
public sealed class RulesTests
{
    private static readonly string[] Skus = ["A", "B", "C", "D"];

    [Fact]
    public void A_grant_never_passes_what_is_left_and_gives_what_is_needed_when_it_can() =>
        Gen.Select(Gen.Int[0, 10_000], Gen.Int[0, 10_000], Gen.Int[0, 10_000], Gen.Int[0, 500], Gen.Int[0, 1_000], Gen.Bool)
            .Sample((cap, sold, held, needed, wanted, open) =>
            {
                var left = CampaignCap.Left(cap, sold, held);
                var grant = CampaignCap.Grant(left, open, needed, Math.Max(needed, wanted));
                Assert.InRange(left, 0, cap);
                Assert.InRange(grant, 0, left);
                Assert.True(sold + held + grant <= cap || grant == 0, "a grant passed the cap");
                if (!open || needed == 0) Assert.Equal(0, grant);
                else if (left >= needed) Assert.True(grant >= needed, $"granted {grant} of {needed} needed with {left} left");
                else Assert.Equal(left, grant);
            });

    [Fact]
    public void Units_granted_one_lease_after_another_sum_to_the_cap_exactly()
    {
        var (cap, sold, held) = (1_000, 0, 0);
        while (CampaignCap.Grant(CampaignCap.Left(cap, sold, held), open: true, needed: 3, wanted: 256) is var grant and > 0)
        {
            held += grant;
            (sold, held) = (sold + held / 2, held - held / 2); // some of it sells, the rest stays held
        }
        Assert.Equal(cap, sold + held);
    }

    [Fact]
    public void A_customers_count_never_passes_the_limit_and_counts_each_order_once() =>
        Gen.Select(Gen.Int[0, 7], Gen.Int[1, 6], Gen.Bool).Array[1, 40]
            .Select(Gen.Int[1, 12], (ops, limit) => (ops, limit))
            .Sample(t =>
            {
                var count = new CustomerLimit();
                var model = new Dictionary<string, int>();
                foreach (var (order, quantity, release) in t.ops)
                {
                    var id = $"o-{order}";
                    if (release)
                    {
                        count.Release(id);
                        model.Remove(id);
                        continue;
                    }
                    var (allowed, bought) = count.TryCount(id, quantity, t.limit);
                    var expected = model.ContainsKey(id) || model.Values.Sum() + quantity <= t.limit;
                    Assert.Equal(expected, allowed);
                    if (allowed) model.TryAdd(id, quantity);
                    Assert.Equal(model.Values.Sum(), bought);
                }
                Assert.Equal(model.Values.Sum(), count.Bought);
                Assert.True(count.Bought <= t.limit || t.ops.Length == 0);
            });

    [Fact]
    public void An_order_is_reservable_exactly_when_every_sku_has_the_units_and_today_has_the_capacity() =>
        Gen.Select(Gen.Int[0, 20].Array[1, 4], Gen.Int[0, 20].Array[4], Gen.Int[0, 50], Gen.Int[0, 60])
            .Sample((quantities, available, loadToday, capacity) =>
            {
                var lines = quantities.Select((q, i) => ($"S{i}", q)).ToList();
                var why = StockRules.CannotReserve(lines, sku => available[int.Parse(sku[1..], CultureInfo.InvariantCulture)], loadToday, capacity);
                var fits = loadToday + quantities.Sum() <= capacity && lines.All(l => available[int.Parse(l.Item1[1..], CultureInfo.InvariantCulture)] >= l.q);
                Assert.Equal(fits, why is null);
            });

    [Theory]
    [InlineData(5, 10, true, false)]
    [InlineData(10, 10, false, false)]
    [InlineData(0, 10, true, true)]
    [InlineData(0, 0, false, true)]
    [InlineData(-1, 0, false, true)]
    public void Low_and_out_of_stock(int available, int threshold, bool low, bool @out)
    {
        Assert.Equal(low, StockRules.IsLow(available, threshold));
        Assert.Equal(@out, StockRules.IsOut(available));
    }

    [Fact]
    public void A_widened_reservation_covers_every_attempt_and_a_trimmed_one_keeps_only_what_its_order_allocates() =>
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 6]).Array[0, 5].Select(Gen.Select(Gen.Int[0, 3], Gen.Int[1, 6]).Array[1, 5], (held, wanted) => (held, wanted))
            .Sample(x =>
            {
                var held = x.held.Where(h => h.Item2 > 0).Select(h => (Skus[h.Item1], h.Item2)).ToList();
                var wanted = x.wanted.Select(w => (Skus[w.Item1], w.Item2)).ToList();
                int Of(IEnumerable<(string Sku, int Quantity)> lines, string sku) => lines.Where(l => l.Sku == sku).Sum(l => l.Quantity);

                var (covering, growth) = StockRules.Widen(held, wanted);
                foreach (var sku in Skus)
                {
                    Assert.Equal(Math.Max(Of(held, sku), Of(wanted, sku)), Of(covering, sku));
                    Assert.Equal(Of(covering, sku) - Of(held, sku), Of(growth, sku)); // only growth needs stock
                }
                Assert.All(growth, g => Assert.True(g.Quantity > 0));

                // Trimmed to either attempt's lines: never more than it holds, never more than the order allocates.
                foreach (var allocated in new[] { held, wanted })
                    foreach (var (sku, keep, excess) in StockRules.Trim(covering, allocated))
                    {
                        Assert.Equal(Math.Min(Of(covering, sku), Of(allocated, sku)), keep);
                        Assert.Equal(Of(covering, sku), keep + excess);
                    }
            });
}
