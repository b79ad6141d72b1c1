using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Routing.Contracts.Campaigns;
using Routing.Contracts.Orders;
using Routing.Grains.Campaigns;

namespace Routing.Tests.Grains;

/// <summary>The campaign hands its cap out in numbered leases per quota holder: a retried lease (its answer was lost)
/// gets the grant already made, never a second one, and never more than what is left of the cap; what a holder reports
/// consumed or hands back leaves its account.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CampaignLeaseTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_retried_lease_is_answered_with_the_same_grant_and_the_cap_holds_across_holders()
    {
        var scenario = new GrainWorld(cluster);
        await scenario.DistributorAsync(onHand: 1_000);
        var campaignId = await scenario.CampaignAsync(cap: 100, perCustomerLimit: 10);
        var campaign = scenario.Campaign(campaignId);
        var silo = cluster.Cluster.Silos[0].SiloAddress;

        var first = await campaign.LeaseAsync("holder-a", silo, leaseSeq: 1, needed: 10, wanted: 60);
        Assert.InRange(first!.Units, 10, 60);
        // The same lease asked again (its answer was lost): the same units, not more.
        Assert.Equal(first.Units, (await campaign.LeaseAsync("holder-a", silo, leaseSeq: 1, needed: 10, wanted: 60))!.Units);
        // An older number gets nothing.
        Assert.Equal(0, (await campaign.LeaseAsync("holder-a", silo, leaseSeq: 0, needed: 10, wanted: 60))!.Units);

        // Another holder gets at most what is left; together never past the cap.
        var granted = first.Units;
        for (var seq = 1; seq < 100; seq++)
        {
            var lease = await campaign.LeaseAsync("holder-b", silo, seq, needed: 1, wanted: 60);
            if (lease!.Units == 0) break;
            granted += lease.Units;
        }
        Assert.Equal(100, granted);
        Assert.Equal(0, (await campaign.LeaseAsync("holder-c", silo, 1, needed: 1, wanted: 10))!.Units);

        // Holder a hands its units back: they can be leased again.
        await campaign.ReportAsync("holder-a", reportSeq: 1, consumed: 0, unusedReturned: first.Units, closing: true);
        await campaign.ReportAsync("holder-a", reportSeq: 1, consumed: 0, unusedReturned: first.Units, closing: true); // a retry: once
        Assert.Equal(first.Units, (await campaign.LeaseAsync("holder-c", silo, 1, needed: first.Units, wanted: first.Units))!.Units);
    }

    [Fact]
    public async Task A_holder_that_goes_away_with_an_order_in_flight_leaves_it_to_the_next_one_so_the_cap_still_sells_out()
    {
        var scenario = new GrainWorld(cluster);
        await scenario.DistributorAsync(onHand: 1_000);
        var campaignId = await scenario.CampaignAsync(cap: 30, perCustomerLimit: 10);
        var customers = await scenario.CustomersAsync(3);

        // Silo 0's holder takes 5 units for an order that is still in flight (its calls waiting out a dead silo, say)…
        var silo = cluster.Cluster.Silos[0].ServiceProvider;
        var holder = silo.GetRequiredService<IGrainFactory>().GetGrain<ICampaignQuotaGrain>(campaignId);
        Assert.Equal(QuotaOutcome.Taken, (await holder.TakeAsync(5, Wuhan.District)).Outcome);
        var pool = silo.GetRequiredService<QuotaPools>().Find(campaignId)!;
        Assert.Equal(5, pool.InFlight);

        // …when the holder's activation goes away.
        await holder.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await Eventually.UntilAsync(() => pool.Attended, attended => !attended, "the holder to deactivate");

        // The order gives its units back as an order does to a pool nobody attends: the pool wakes a holder. It is
        // the same account to the campaign, so its 5 units are not lost with the activation.
        pool.Return(5);
        await holder.SettleAsync();
        Assert.Same(pool, silo.GetRequiredService<QuotaPools>().Find(campaignId));

        // Every unit of the cap sells.
        var sold = 0;
        foreach (var customer in customers)
            for (var n = 0; n < 2; n++)
            {
                var placed = await scenario.OrderOnceUnitsFlowBackAsync(campaignId, customer, 5, $"k-{n}");
                Assert.Equal(PlaceOutcome.Created, placed.Outcome);
                sold += 5;
            }
        Assert.Equal(30, sold);
        Assert.Equal(30, (await scenario.CampaignSoldAsync(campaignId, 30)).Sold);
    }
}
