using Microsoft.Extensions.Time.Testing;
using Routing.Contracts.Campaigns;
using Routing.Grains.Campaigns;

namespace Routing.Tests.Grains;

/// <summary>The silo-local pool that orders take campaign units from without messaging the holder grain: it answers
/// only what it can answer alone, never hands out a unit twice, reports as consumed only what orders made durable,
/// hands out nothing while no holder activation attends it, and stays in the silo until it is settled.</summary>
public sealed class QuotaPoolTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static CampaignDefinition Campaign(DateTimeOffset startsAt) => new("gb-pool", "Pool", "UREA-50", 100m, [],
        startsAt, Now.AddHours(1), Cap: 1000, PerCustomerLimit: 10, MinUnits: 1, Regions: ["42"], Distributors: [], "default");

    [Fact]
    public void Units_are_taken_concurrently_exactly_once_and_the_holder_is_asked_when_they_run_out()
    {
        var pool = new QuotaPools(TimeProvider.System).Attach("gb-pool");
        Assert.Null(pool.TryTake(1, "420106")); // nothing leased yet: the holder must lease
        pool.AddLease(new QuotaLease(500, Campaign(Now.AddHours(-1)), Sold: 0));

        var taken = 0;
        Parallel.For(0, 2000, _ =>
        {
            if (pool.TryTake(1, "420106") is { Outcome: QuotaOutcome.Taken }) Interlocked.Increment(ref taken);
        });
        Assert.Equal(500, taken);
        Assert.Null(pool.TryTake(1, "420106"));

        // 497 orders became durable, 3 gave their units back: only the durable ones are reported consumed.
        Assert.Equal(500, pool.InFlight);
        pool.Consumed(497);
        pool.Return(3);
        Assert.Equal(0, pool.InFlight);
        Assert.Equal((497, 0), pool.TakeReport(returnUnits: false));
        Assert.Equal((0, 3), pool.TakeReport(returnUnits: true));
    }

    [Fact]
    public void It_answers_not_open_and_not_eligible_itself_and_nothing_while_no_holder_attends_it()
    {
        var pools = new QuotaPools(TimeProvider.System);
        var pool = pools.Attach("gb-pool");
        pool.AddLease(new QuotaLease(10, Campaign(Now.AddHours(1)), Sold: 0));
        Assert.Equal(QuotaOutcome.NotOpen, pool.TryTake(1, "420106")!.Outcome);

        pool.AddLease(new QuotaLease(0, Campaign(Now.AddHours(-1)), Sold: 0));
        Assert.Equal(QuotaOutcome.RegionNotEligible, pool.TryTake(1, "110101")!.Outcome);
        Assert.Equal(QuotaOutcome.Taken, pool.TryTake(1, "420106")!.Outcome);

        pool.Detach();
        Assert.Null(pool.TryTake(1, "420106"));
        Assert.False(pool.Attended);
        // An order in flight when its holder went away: the pool is not settled, so it stays for the next activation,
        // which is the same account to the campaign.
        Assert.Equal(1, pool.InFlight);
        Assert.False(pools.RemoveIfSettled("gb-pool", pool));
        var next = pools.Attach("gb-pool");
        Assert.Same(pool, next);
        Assert.Equal(QuotaOutcome.Taken, next.TryTake(1, "420106")!.Outcome);
        next.Return(1);
        pool.Return(1);
        Assert.Equal((0, 10), next.TakeReport(returnUnits: true));
        next.Detach();
        Assert.True(pools.RemoveIfSettled("gb-pool", next));
        Assert.NotSame(pool, pools.Attach("gb-pool")); // settled and gone: a new account
    }

    [Fact]
    public void By_its_clock_it_sells_only_while_the_campaign_is_open_and_finds_units_idle_once_nobody_took_any_for_a_while()
    {
        var clock = new FakeTimeProvider(Now);
        var pool = new QuotaPools(clock).Attach("gb-pool");
        pool.AddLease(new QuotaLease(10, Campaign(Now.AddMinutes(30)), Sold: 0)); // opens in half an hour, ends in an hour
        Assert.Equal(QuotaOutcome.NotOpen, pool.TryTake(1, "420106")!.Outcome);

        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(QuotaOutcome.Taken, pool.TryTake(1, "420106")!.Outcome);
        // Selling: the holder stays active and keeps the units.
        Assert.True(pool.TookWithin(CampaignQuotaGrain.ReportInterval));
        Assert.False(pool.IdleWithUnits(CampaignQuotaGrain.IdleReturnAfter));

        clock.Advance(CampaignQuotaGrain.IdleReturnAfter - TimeSpan.FromMilliseconds(1));
        Assert.False(pool.TookWithin(CampaignQuotaGrain.ReportInterval));
        Assert.False(pool.IdleWithUnits(CampaignQuotaGrain.IdleReturnAfter));
        clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.True(pool.IdleWithUnits(CampaignQuotaGrain.IdleReturnAfter)); // the holder's next report hands them back
        Assert.Equal((0, 9), pool.TakeReport(returnUnits: true));
        Assert.False(pool.IdleWithUnits(CampaignQuotaGrain.IdleReturnAfter)); // nothing left to hand back

        pool.AddLease(new QuotaLease(5, Campaign(Now.AddMinutes(30)), Sold: 1));
        clock.Advance(TimeSpan.FromMinutes(30)); // the campaign has ended
        Assert.Equal(QuotaOutcome.NotOpen, pool.TryTake(1, "420106")!.Outcome);
    }
}
