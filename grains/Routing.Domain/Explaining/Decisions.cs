namespace Routing.Domain.Explaining;

// The decisions a routing takes, in the order it takes them (RoutingExplanation.Decisions).

/// <summary>How many candidates passed eligibility, and the score's weights.</summary>
[GenerateSerializer, Immutable, Alias("f.candidatesEligible")]
public sealed record CandidatesEligible([property: Id(0)] int Eligible, [property: Id(1)] int Candidates, [property: Id(2)] RankingWeights Weights) : Finding
{
    protected override string English() =>
        F($"{Eligible} of {Candidates} candidates eligible; score weights priority {Weights.Priority:0.####}, distance {Weights.Distance:0.####}, stock {Weights.Stock:0.####}, load {Weights.Load:0.####}");
    protected override string Chinese() =>
        F($"{Candidates} 个候选中 {Eligible} 个符合条件；评分权重 优先级 {Weights.Priority:0.####}，距离 {Weights.Distance:0.####}，库存 {Weights.Stock:0.####}，负荷 {Weights.Load:0.####}");
}

/// <summary>Home first is on, but the customer's home distributor is not among the candidates.</summary>
[GenerateSerializer, Immutable, Alias("f.homeNotCandidate")]
public sealed record HomeNotCandidate([property: Id(0)] string DistributorId) : Finding
{
    protected override string English() => $"home distributor {DistributorId} is not among the candidates";
    protected override string Chinese() => $"归属经销商 {DistributorId} 不在候选中";
}

/// <summary>Home first is on, but the home distributor was excluded.</summary>
[GenerateSerializer, Immutable, Alias("f.homeExcluded")]
public sealed record HomeExcluded([property: Id(0)] string DistributorId, [property: Id(1)] ExclusionReason Reason, [property: Id(2)] IReadOnlyList<Finding> Notes) : Finding
{
    protected override string English() => $"home distributor {DistributorId} excluded ({Reason}): {Exclusions.English(Reason, Notes)}";
    protected override string Chinese() => $"归属经销商 {DistributorId} 被排除（{Exclusions.Chinese(Reason)}）：{Exclusions.ChineseDetail(Reason, Notes)}";
}

/// <summary>The home distributor takes the unit (home first).</summary>
[GenerateSerializer, Immutable, Alias("f.homeFills")]
public sealed record HomeFills([property: Id(0)] WorkUnit Unit, [property: Id(1)] string DistributorId, [property: Id(2)] Standing Standing) : Finding
{
    protected override string English() => $"home distributor {DistributorId} fills {Unit.English()} ({Standing.English()})";
    protected override string Chinese() => $"归属经销商 {DistributorId} 承接{Unit.Chinese()}（{Standing.Chinese()}）";
}

/// <summary>The best-ranked candidate that could fill the unit takes it; <see cref="PassedOver"/> better-ranked ones could not.</summary>
[GenerateSerializer, Immutable, Alias("f.assigned")]
public sealed record Assigned([property: Id(0)] WorkUnit Unit, [property: Id(1)] string DistributorId, [property: Id(2)] Standing Standing, [property: Id(3)] int PassedOver) : Finding
{
    // Say why a lower-ranked distributor won, so the explanation does not look like a ranking bug.
    protected override string English() => PassedOver switch
    {
        0 => $"{Unit.English()} → {DistributorId} ({Standing.English()})",
        1 => $"{Unit.English()} → {DistributorId} ({Standing.English()}; rank 1 cannot fill it)",
        _ => F($"{Unit.English()} → {DistributorId} ({Standing.English()}; ranks 1-{PassedOver} cannot fill it)"),
    };
    protected override string Chinese() => PassedOver switch
    {
        0 => $"{Unit.Chinese()} → {DistributorId}（{Standing.Chinese()}）",
        _ => F($"{Unit.Chinese()} → {DistributorId}（{Standing.Chinese()}；排名 1-{PassedOver} 无法承接）"),
    };
}

/// <summary>One distributor's part of a split line.</summary>
[GenerateSerializer, Immutable]
public sealed record SplitPart([property: Id(0)] string DistributorId, [property: Id(1)] int Quantity, [property: Id(2)] Standing Standing);

/// <summary>A line split across distributors: greedily by rank, or (when that needs too many) by available stock.</summary>
[GenerateSerializer, Immutable, Alias("f.splitAcross")]
public sealed record SplitAcross([property: Id(0)] WorkUnit Unit, [property: Id(1)] bool ByStock, [property: Id(2)] IReadOnlyList<SplitPart> Parts) : Finding
{
    protected override string English() =>
        F($"{Unit.English()} split {(ByStock ? "by available stock (fewest distributors)" : "by rank")} across {Parts.Count} distributors: {string.Join(", ", Parts.Select(p => F($"{p.DistributorId} {p.Quantity} ({p.Standing.English()})")))}");
    protected override string Chinese() =>
        F($"{Unit.Chinese()} {(ByStock ? "按可用库存（最少经销商）" : "按排名")}拆分给 {Parts.Count} 个经销商：{string.Join("，", Parts.Select(p => F($"{p.DistributorId} {p.Quantity}（{p.Standing.Chinese()}）")))}");
}

/// <summary>A unit could not be placed, and why; <see cref="AsOrdered"/>: as ordered, before substitutes made it fillable.</summary>
[GenerateSerializer, Immutable, Alias("f.unfillable")]
public sealed record Unfillable([property: Id(0)] WorkUnit Unit, [property: Id(1)] Finding Cause, [property: Id(2)] bool AsOrdered = false) : Finding
{
    protected override string English() =>
        (AsOrdered ? "as ordered, " : "") + (Unit.Kind == WorkUnitKind.Order ? "order" : Unit.English()) + " unfillable: " + Cause.Text;
    protected override string Chinese() =>
        (AsOrdered ? "按原订单，" : "") + (Unit.Kind == WorkUnitKind.Order ? "订单" : Unit.Chinese()) + "无法满足：" + Cause.TextZh;

    /// <summary>The cause as a reason for the order: prefixed with the unit unless it is the whole order.</summary>
    public string Reason => Unit.Kind == WorkUnitKind.Order ? Cause.Text : Unit.English() + ": " + Cause.Text;
}

/// <summary>No substitute of an unfillable SKU is in stock nearby.</summary>
[GenerateSerializer, Immutable, Alias("f.noSubstituteInStock")]
public sealed record NoSubstituteInStock([property: Id(0)] string Sku) : Finding
{
    protected override string English() => $"{Sku}: no substitute is in stock nearby";
    protected override string Chinese() => $"{Sku}：附近没有有库存的替代品";
}

/// <summary>Substitutes are in stock nearby, but none in the quantity ordered.</summary>
[GenerateSerializer, Immutable, Alias("f.noSubstituteHasEnough")]
public sealed record NoSubstituteHasEnough([property: Id(0)] string Sku, [property: Id(1)] int Quantity) : Finding
{
    protected override string English() => F($"{Sku}: no substitute has {Quantity} units in stock nearby");
    protected override string Chinese() => F($"{Sku}：没有替代品在附近有 {Quantity} 件库存");
}

/// <summary>In-stock substitutes offered for an unfillable SKU.</summary>
[GenerateSerializer, Immutable, Alias("f.substitutesSuggested")]
public sealed record SubstitutesSuggested([property: Id(0)] string Sku, [property: Id(1)] IReadOnlyList<SubstituteSuggestion> Offers) : Finding
{
    protected override string English() =>
        $"{Sku} unfillable; substitutes suggested: {string.Join(", ", Offers.Select(o => F($"{o.SubstituteSku} ({o.AvailableNearby} nearby)")))}";
    protected override string Chinese() =>
        $"{Sku} 无法满足；建议替代：{string.Join("，", Offers.Select(o => F($"{o.SubstituteSku}（附近 {o.AvailableNearby}）")))}";
}

/// <summary>An unfillable SKU replaced by a substitute (auto-substitution).</summary>
[GenerateSerializer, Immutable, Alias("f.substituteUsed")]
public sealed record SubstituteUsed([property: Id(0)] string Sku, [property: Id(1)] string Substitute) : Finding
{
    protected override string English() => $"{Sku} unfillable; substitute {Substitute} used";
    protected override string Chinese() => $"{Sku} 无法满足；已使用替代品 {Substitute}";
}

/// <summary>Auto-substitution found no combination of in-stock substitutes that makes the order fillable.</summary>
[GenerateSerializer, Immutable, Alias("f.noSubstitutionFits")]
public sealed record NoSubstitutionFits : Finding
{
    protected override string English() => "auto-substitution: no combination of in-stock substitutes makes the order fillable";
    protected override string Chinese() => "自动替代：没有任何有库存的替代组合能满足订单";
}

/// <summary>The policy's fallback for an order nobody can fill.</summary>
[GenerateSerializer, Immutable, Alias("f.fallbackTaken")]
public sealed record FallbackTaken([property: Id(0)] FallbackAction Action) : Finding
{
    protected override string English() => "fallback: " + Action switch
    {
        FallbackAction.Reject => "rejected",
        FallbackAction.Backorder => "backordered until stock arrives",
        FallbackAction.ManualReview => "sent to manual review",
    };
    protected override string Chinese() => "兜底：" + Action switch
    {
        FallbackAction.Reject => "拒绝",
        FallbackAction.Backorder => "缺货待补",
        FallbackAction.ManualReview => "转人工审核",
    };
}

/// <summary>A distributor refused the planned reservation (its stock had changed since the snapshot); routed again.</summary>
[GenerateSerializer, Immutable, Alias("f.reservationRefused")]
public sealed record ReservationRefused([property: Id(0)] string DistributorId, [property: Id(1)] Finding Cause) : Finding
{
    protected override string English() => $"reservation failed ({DistributorId}: {Cause.Text}); re-routed";
    protected override string Chinese() => $"预留失败（{DistributorId}：{Cause.TextZh}）；已重新路由";
}
