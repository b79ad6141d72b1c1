namespace Routing.Domain.Explaining;

// What a candidate's report notes about it, beside its exclusion reason (CandidateReport.Notes).

/// <summary>Its territory does not cover the order's region (and no distance rule lets it serve from outside).</summary>
[GenerateSerializer, Immutable, Alias("f.outsideTerritory")]
public sealed record OutsideTerritory([property: Id(0)] string Region) : Finding
{
    protected override string English() => F($"territory does not cover {Region}");
    protected override string Chinese() => F($"辖区不覆盖 {Region}");
}

/// <summary>Outside its territory and farther than the policy's distance limit.</summary>
[GenerateSerializer, Immutable, Alias("f.beyondReach")]
public sealed record BeyondReach([property: Id(0)] string Region, [property: Id(1)] double Km, [property: Id(2)] double MaxKm) : Finding
{
    protected override string English() => $"territory does not cover {Region} and {Kilometres(Km)} km exceeds the {Kilometres(MaxKm)} km limit";
    protected override string Chinese() => $"辖区不覆盖 {Region}，且 {Kilometres(Km)} 公里超出 {Kilometres(MaxKm)} 公里的限制";
}

/// <summary>Eligible although outside its territory: within the policy's distance limit (worth a word).</summary>
[GenerateSerializer, Immutable, Alias("f.withinReach")]
public sealed record WithinReach([property: Id(0)] double Km, [property: Id(1)] double MaxKm) : Finding
{
    protected override string English() => $"outside its territory but within {Kilometres(MaxKm)} km ({Kilometres(Km)} km)";
    protected override string Chinese() => $"在辖区外，但在 {Kilometres(MaxKm)} 公里以内（{Kilometres(Km)} 公里）";
}

/// <summary>Today's capacity is used up.</summary>
[GenerateSerializer, Immutable, Alias("f.noCapacityLeft")]
public sealed record NoCapacityLeft([property: Id(0)] int Booked, [property: Id(1)] int Capacity) : Finding
{
    protected override string English() => F($"no capacity left today ({Booked} of {Capacity} units booked)");
    protected override string Chinese() => F($"今日产能已满（已订 {Booked} / {Capacity} 件）");
}

/// <summary>Holds none of the ordered SKUs.</summary>
[GenerateSerializer, Immutable, Alias("f.notInStock")]
public sealed record NotInStock([property: Id(0)] IReadOnlyList<string> Skus) : Finding
{
    protected override string English() => Skus.Count == 1 ? $"{Skus[0]} not in stock" : $"none of {string.Join(", ", Skus)} in stock";
    protected override string Chinese() => Skus.Count == 1 ? $"{Skus[0]} 无库存" : $"{string.Join("、", Skus)} 均无库存";
}

/// <summary>Holds fewer units of a SKU than the whole order needs.</summary>
[GenerateSerializer, Immutable, Alias("f.holdsTooFew")]
public sealed record HoldsTooFew([property: Id(0)] string Sku, [property: Id(1)] int Has, [property: Id(2)] int Needs) : Finding
{
    protected override string English() => F($"has {Has} of {Needs} {Sku}");
    protected override string Chinese() => F($"{Sku} 仅有 {Has} / {Needs}");
}

/// <summary>Has less capacity left today than the whole order needs.</summary>
[GenerateSerializer, Immutable, Alias("f.capacityTooSmall")]
public sealed record CapacityTooSmall([property: Id(0)] int Left, [property: Id(1)] int Needs) : Finding
{
    protected override string English() => F($"capacity for {Left} of {Needs} units left today");
    protected override string Chinese() => F($"今日剩余产能 {Left} / {Needs} 件");
}
