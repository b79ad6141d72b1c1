namespace Routing.Domain.Explaining;

/// <summary>The words for why a candidate was excluded: its reason, with the notes that give the particulars.</summary>
public static class Exclusions
{
    /// <summary>A candidate's detail in English: why it was excluded (or, if eligible, what is worth a word), or null.</summary>
    public static string? Detail(ExclusionReason? reason, IReadOnlyList<Finding> notes) =>
        reason is { } r ? English(r, notes) : notes.Count == 0 ? null : string.Join("; ", notes.Select(n => n.Text));

    /// <summary>The same in Chinese.</summary>
    public static string? DetailZh(ExclusionReason? reason, IReadOnlyList<Finding> notes) =>
        reason is { } r ? ChineseDetail(r, notes) : notes.Count == 0 ? null : string.Join("；", notes.Select(n => n.TextZh));

    public static string English(ExclusionReason reason, IReadOnlyList<Finding> notes) => reason switch
    {
        ExclusionReason.Inactive => "inactive",
        ExclusionReason.NotParticipating => "not taking part in this campaign",
        ExclusionReason.InsufficientStock => "cannot fill the whole order: " + string.Join("; ", notes.Select(n => n.Text)),
        ExclusionReason.OutsideTerritory or ExclusionReason.CapacityExhausted or ExclusionReason.OutOfStock =>
            string.Join("; ", notes.Select(n => n.Text)),
    };

    public static string ChineseDetail(ExclusionReason reason, IReadOnlyList<Finding> notes) => reason switch
    {
        ExclusionReason.Inactive or ExclusionReason.NotParticipating => Chinese(reason),
        ExclusionReason.InsufficientStock => "无法满足整单：" + string.Join("；", notes.Select(n => n.TextZh)),
        ExclusionReason.OutsideTerritory or ExclusionReason.CapacityExhausted or ExclusionReason.OutOfStock =>
            string.Join("；", notes.Select(n => n.TextZh)),
    };

    /// <summary>The reason as counted in a summary ("2 outside territory").</summary>
    public static string Counted(ExclusionReason reason) => reason switch
    {
        ExclusionReason.Inactive => "inactive",
        ExclusionReason.NotParticipating => "not participating",
        ExclusionReason.OutsideTerritory => "outside territory",
        ExclusionReason.CapacityExhausted => "capacity exhausted",
        ExclusionReason.OutOfStock => "out of stock",
        ExclusionReason.InsufficientStock => "insufficient stock",
    };

    public static string Chinese(ExclusionReason reason) => reason switch
    {
        ExclusionReason.Inactive => "已停用",
        ExclusionReason.NotParticipating => "未参与活动",
        ExclusionReason.OutsideTerritory => "不在辖区",
        ExclusionReason.CapacityExhausted => "产能已满",
        ExclusionReason.OutOfStock => "无库存",
        ExclusionReason.InsufficientStock => "库存不足",
    };
}
