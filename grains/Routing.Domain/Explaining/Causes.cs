namespace Routing.Domain.Explaining;

// Why a unit of work could not be placed (Unfillable.Cause), or why a distributor refused a reservation.

/// <summary>No distributor was a candidate at all.</summary>
[GenerateSerializer, Immutable, Alias("f.noCandidates")]
public sealed record NoCandidates : Finding
{
    protected override string English() => "no candidate distributors";
    protected override string Chinese() => "没有候选经销商";
}

/// <summary>How many candidates were excluded for one reason.</summary>
[GenerateSerializer, Immutable]
public sealed record ExclusionCount([property: Id(0)] ExclusionReason Reason, [property: Id(1)] int Count);

/// <summary>Every candidate was excluded by a rule other than stock.</summary>
[GenerateSerializer, Immutable, Alias("f.noneEligible")]
public sealed record NoneEligible([property: Id(0)] int Candidates, [property: Id(1)] IReadOnlyList<ExclusionCount> Excluded) : Finding
{
    protected override string English() =>
        F($"no eligible distributor among {Candidates} {(Candidates == 1 ? "candidate" : "candidates")} ({string.Join(", ", Excluded.Select(e => F($"{e.Count} {Exclusions.Counted(e.Reason)}")))})");
    protected override string Chinese() =>
        F($"{Candidates} 个候选中没有符合条件的经销商（{string.Join("，", Excluded.Select(e => F($"{e.Count} 个{Exclusions.Chinese(e.Reason)}")))}）");
}

/// <summary>No eligible distributor has the SKU in stock.</summary>
[GenerateSerializer, Immutable, Alias("f.noneInStock")]
public sealed record NoneInStock([property: Id(0)] string Sku) : Finding
{
    protected override string English() => $"no eligible distributor has {Sku} in stock";
    protected override string Chinese() => $"没有符合条件的经销商有 {Sku} 的库存";
}

/// <summary>No eligible distributor holds the quantity; the best-stocked one and what it holds.</summary>
[GenerateSerializer, Immutable, Alias("f.notEnoughAnywhere")]
public sealed record NotEnoughAnywhere([property: Id(0)] string Sku, [property: Id(1)] int Quantity, [property: Id(2)] string Best, [property: Id(3)] int BestAvailable) : Finding
{
    protected override string English() => F($"no eligible distributor has {Quantity} units of {Sku} (best: {Best} with {BestAvailable})");
    protected override string Chinese() => F($"没有符合条件的经销商有 {Quantity} 件 {Sku}（最多：{Best}，{BestAvailable} 件）");
}

/// <summary>Split quantity: even the best-stocked distributors, as many as the policy allows, hold too few.</summary>
[GenerateSerializer, Immutable, Alias("f.notCoverableBySplits")]
public sealed record NotCoverableBySplits([property: Id(0)] string Sku, [property: Id(1)] int Quantity, [property: Id(2)] int MaxSplits, [property: Id(3)] int BestStocked) : Finding
{
    protected override string English() =>
        F($"{Quantity} units of {Sku} cannot be covered by at most {MaxSplits} eligible distributors (the {MaxSplits} best-stocked hold {BestStocked})");
    protected override string Chinese() =>
        F($"最多 {MaxSplits} 个符合条件的经销商无法覆盖 {Quantity} 件 {Sku}（库存最多的 {MaxSplits} 个共 {BestStocked} 件）");
}

/// <summary>No eligible distributor has the capacity left today; the one with the most.</summary>
[GenerateSerializer, Immutable, Alias("f.noCapacityForUnits")]
public sealed record NoCapacityForUnits([property: Id(0)] int Quantity, [property: Id(1)] string Most, [property: Id(2)] int Capacity) : Finding
{
    protected override string English() => F($"no eligible distributor has capacity for {Quantity} more units today (most: {Most} with {Capacity})");
    protected override string Chinese() => F($"没有符合条件的经销商今日还能承接 {Quantity} 件（最多：{Most}，{Capacity} 件）");
}

/// <summary>Split quantity: the capacity left today caps what the allowed distributors can take.</summary>
[GenerateSerializer, Immutable, Alias("f.splitCapacityShort")]
public sealed record SplitCapacityShort([property: Id(0)] string Sku, [property: Id(1)] int Quantity, [property: Id(2)] int MaxSplits, [property: Id(3)] int Usable) : Finding
{
    protected override string English() => F($"capacity left today takes at most {Usable} of {Quantity} units of {Sku} within {MaxSplits} distributors");
    protected override string Chinese() => F($"{MaxSplits} 个经销商今日剩余产能最多承接 {Usable} / {Quantity} 件 {Sku}");
}

/// <summary>What the unit needs was already given to earlier units (groups or lines) of the same order.</summary>
[GenerateSerializer, Immutable, Alias("f.takenByEarlierUnits")]
public sealed record TakenByEarlierUnits([property: Id(0)] WorkUnitKind Kind) : Finding
{
    protected override string English() =>
        $"the stock or capacity it needs was already allocated to earlier {(Kind == WorkUnitKind.Group ? "groups" : "lines")} of this order";
    protected override string Chinese() =>
        $"所需库存或产能已分配给本订单前面的{(Kind == WorkUnitKind.Group ? "分组" : "行")}";
}

/// <summary>Each SKU is held somewhere, but no one distributor holds them all.</summary>
[GenerateSerializer, Immutable, Alias("f.noSingleHolder")]
public sealed record NoSingleHolder([property: Id(0)] WorkUnit Unit) : Finding
{
    protected override string English() => $"no single eligible distributor holds every line of {Unit.English()}";
    protected override string Chinese() => $"没有单个符合条件的经销商持有{Unit.Chinese()}的全部行";
}

/// <summary>Reservations kept failing as stock changed under the order; it is rejected and may be retried.</summary>
[GenerateSerializer, Immutable, Alias("f.stockKeptChanging")]
public sealed record StockKeptChanging : Finding
{
    protected override string English() => "stock kept changing under this order; please retry";
    protected override string Chinese() => "下单期间库存持续变化；请重试";
}

/// <summary>A reservation asked of a distributor that does not exist.</summary>
[GenerateSerializer, Immutable, Alias("f.unknownDistributor")]
public sealed record UnknownDistributor : Finding
{
    protected override string English() => "unknown distributor";
    protected override string Chinese() => "未知经销商";
}

/// <summary>A reservation asked of an inactive distributor.</summary>
[GenerateSerializer, Immutable, Alias("f.distributorInactive")]
public sealed record DistributorInactive : Finding
{
    protected override string English() => "distributor is inactive";
    protected override string Chinese() => "经销商已停用";
}

/// <summary>The distributor's capacity left today is less than the order needs.</summary>
[GenerateSerializer, Immutable, Alias("f.dailyCapacityShort")]
public sealed record DailyCapacityShort([property: Id(0)] int Left, [property: Id(1)] int Needs) : Finding
{
    protected override string English() => F($"daily capacity left is {Left}, order needs {Needs}");
    protected override string Chinese() => F($"今日剩余产能 {Left}，订单需要 {Needs}");
}

/// <summary>The distributor has fewer units of the SKU available than the order needs.</summary>
[GenerateSerializer, Immutable, Alias("f.stockShort")]
public sealed record StockShort([property: Id(0)] string Sku, [property: Id(1)] int Available, [property: Id(2)] int Needs) : Finding
{
    protected override string English() => F($"{Sku}: {Available} available, order needs {Needs}");
    protected override string Chinese() => F($"{Sku}：可用 {Available}，订单需要 {Needs}");
}

/// <summary>Several SKUs of one unit are short, each for its own reason.</summary>
[GenerateSerializer, Immutable, Alias("f.shortages")]
public sealed record Shortages([property: Id(0)] IReadOnlyList<Finding> Each) : Finding
{
    protected override string English() => string.Join("; ", Each.Select(e => e.Text));
    protected override string Chinese() => string.Join("；", Each.Select(e => e.TextZh));
}
