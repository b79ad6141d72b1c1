namespace Routing.Domain.Rules;

/// <summary>How much of a campaign's cap a quota holder may be granted. The cap holds because what is sold plus what live
/// holders may still sell never exceeds it; while plenty is left, a grant is at most a share of what is left, so units
/// idle in one silo's hands near the end of a sale stay few.</summary>
public static class CampaignCap
{
    /// <summary>While plenty is left, a grant is at most this share (1/n) of what is left.</summary>
    public const int ShareDivisor = 4;

    /// <summary>What is left to grant: the cap less what is sold and what holders hold (never negative).</summary>
    public static int Left(int cap, int sold, int held) => Math.Max(0, cap - sold - held);

    /// <summary>Units to grant: at least <paramref name="needed"/> if that many are left, up to <paramref name="wanted"/>
    /// while plenty are left; nothing when the campaign is not open or nothing is needed.</summary>
    public static int Grant(int left, bool open, int needed, int wanted) =>
        !open || left <= 0 || needed <= 0 ? 0 : Math.Min(left, Math.Max(needed, Math.Min(wanted, left / ShareDivisor)));
}
