using Routing.Contracts.Campaigns;

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
        var scenario = new Scenario(cluster);
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
}
