namespace Routing.Domain;

/// <summary>Where a campaign is in its life (<see cref="Rules.CampaignRules.StatusAt"/>). The numbers are what stored
/// campaigns hold; a status is never renumbered.</summary>
public enum CampaignStatus
{
    Scheduled = 0,
    Open = 1,
    SoldOut = 2,
    /// <summary>Ended having reached its minimum: the group formed.</summary>
    Formed = 3,
    /// <summary>Ended below its minimum: the group did not form.</summary>
    NotFormed = 4,
}
