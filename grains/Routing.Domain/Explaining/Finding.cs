using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Routing.Domain.Explaining;

/// <summary>One fact of a routing explanation: a code (the record's type, <c>"code"</c> in JSON) with its parameters.
/// An explanation is stored as these, not as sentences, so it is small and a program can count and act on it (failure
/// reasons ranked, an exception's cause); the words, in English and Chinese, are rendered from it when it is read.
/// Every code is listed here, in <see cref="JsonDerivedTypeAttribute"/>s: what the API documents and the console renders.</summary>
[GenerateSerializer, Alias("f")]
[JsonPolymorphic(TypeDiscriminatorPropertyName = "code", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
// A candidate's notes
[JsonDerivedType(typeof(OutsideTerritory), "outsideTerritory")]
[JsonDerivedType(typeof(BeyondReach), "beyondReach")]
[JsonDerivedType(typeof(WithinReach), "withinReach")]
[JsonDerivedType(typeof(NoCapacityLeft), "noCapacityLeft")]
[JsonDerivedType(typeof(NotInStock), "notInStock")]
[JsonDerivedType(typeof(HoldsTooFew), "holdsTooFew")]
[JsonDerivedType(typeof(CapacityTooSmall), "capacityTooSmall")]
// Decisions
[JsonDerivedType(typeof(CandidatesEligible), "candidatesEligible")]
[JsonDerivedType(typeof(HomeNotCandidate), "homeNotCandidate")]
[JsonDerivedType(typeof(HomeExcluded), "homeExcluded")]
[JsonDerivedType(typeof(HomeFills), "homeFills")]
[JsonDerivedType(typeof(Assigned), "assigned")]
[JsonDerivedType(typeof(SplitAcross), "splitAcross")]
[JsonDerivedType(typeof(Unfillable), "unfillable")]
[JsonDerivedType(typeof(NoSubstituteInStock), "noSubstituteInStock")]
[JsonDerivedType(typeof(NoSubstituteHasEnough), "noSubstituteHasEnough")]
[JsonDerivedType(typeof(SubstitutesSuggested), "substitutesSuggested")]
[JsonDerivedType(typeof(SubstituteUsed), "substituteUsed")]
[JsonDerivedType(typeof(NoSubstitutionFits), "noSubstitutionFits")]
[JsonDerivedType(typeof(FallbackTaken), "fallbackTaken")]
[JsonDerivedType(typeof(ReservationRefused), "reservationRefused")]
// Causes: why a unit of work could not be placed, or a reservation was refused
[JsonDerivedType(typeof(NoCandidates), "noCandidates")]
[JsonDerivedType(typeof(NoneEligible), "noneEligible")]
[JsonDerivedType(typeof(NoneInStock), "noneInStock")]
[JsonDerivedType(typeof(NotEnoughAnywhere), "notEnoughAnywhere")]
[JsonDerivedType(typeof(NotCoverableBySplits), "notCoverableBySplits")]
[JsonDerivedType(typeof(NoCapacityForUnits), "noCapacityForUnits")]
[JsonDerivedType(typeof(SplitCapacityShort), "splitCapacityShort")]
[JsonDerivedType(typeof(TakenByEarlierUnits), "takenByEarlierUnits")]
[JsonDerivedType(typeof(NoSingleHolder), "noSingleHolder")]
[JsonDerivedType(typeof(Shortages), "shortages")]
[JsonDerivedType(typeof(StockKeptChanging), "stockKeptChanging")]
[JsonDerivedType(typeof(UnknownDistributor), "unknownDistributor")]
[JsonDerivedType(typeof(DistributorInactive), "distributorInactive")]
[JsonDerivedType(typeof(DailyCapacityShort), "dailyCapacityShort")]
[JsonDerivedType(typeof(StockShort), "stockShort")]
public abstract record Finding
{
    /// <summary>In English, rendered when read (never stored).</summary>
    [JsonPropertyOrder(100)]
    public string Text => English();

    /// <summary>In Chinese, rendered when read (never stored).</summary>
    [JsonPropertyOrder(101)]
    public string TextZh => Chinese();

    /// <summary>The code, as in JSON: the record's name in camel case.</summary>
    [JsonIgnore]
    public string Code => JsonNamingPolicy.CamelCase.ConvertName(GetType().Name);

    protected abstract string English();

    protected abstract string Chinese();

    // Sealed, so every finding prints as its code and words (a record would otherwise print its members).
    public sealed override string ToString() => $"{Code}: {Text}";

    /// <summary>Invariant-culture formatting, so an explanation reads the same on every machine.</summary>
    protected static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    protected static string Kilometres(double km) => km.ToString("0.#", CultureInfo.InvariantCulture);
}

/// <summary>What a decision is about: the whole order, a line group (分组), or one line.</summary>
public enum WorkUnitKind
{
    Order,
    Group,
    Line,
}

/// <summary>A unit of work placed as one piece. A line names its SKU; under split quantity also its quantity.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkUnit(
    [property: Id(0)] WorkUnitKind Kind,
    [property: Id(1)] string? Group = null,
    [property: Id(2)] int? Line = null,
    [property: Id(3)] string? Sku = null,
    [property: Id(4)] int? Quantity = null)
{
    public static WorkUnit WholeOrder { get; } = new(WorkUnitKind.Order);

    public string English() => Kind switch
    {
        WorkUnitKind.Order => "the whole order",
        WorkUnitKind.Group => $"group '{Group}'",
        WorkUnitKind.Line => Quantity is { } q
            ? string.Create(CultureInfo.InvariantCulture, $"line {Line} ({q} × {Sku})")
            : string.Create(CultureInfo.InvariantCulture, $"line {Line} ({Sku})"),
    };

    public string Chinese() => Kind switch
    {
        WorkUnitKind.Order => "整单",
        WorkUnitKind.Group => $"分组 '{Group}'",
        WorkUnitKind.Line => Quantity is { } q
            ? string.Create(CultureInfo.InvariantCulture, $"第 {Line} 行 ({q} × {Sku})")
            : string.Create(CultureInfo.InvariantCulture, $"第 {Line} 行 ({Sku})"),
    };
}

/// <summary>Where a candidate stood in the ranking for a unit of work; no rank when it was not ranked for it.</summary>
[GenerateSerializer, Immutable]
public readonly record struct Standing([property: Id(0)] int? Rank, [property: Id(1)] double? Score)
{
    public string English() => Rank is { } r
        ? string.Create(CultureInfo.InvariantCulture, $"rank {r}, score {Score:0.0000}")
        : "unranked";

    public string Chinese() => Rank is { } r
        ? string.Create(CultureInfo.InvariantCulture, $"排名 {r}，得分 {Score:0.0000}")
        : "未排名";
}
