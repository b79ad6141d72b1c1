namespace Routing.Api.Infrastructure;

/// <summary>Input limits of the public API, in one place; request validation attributes refer to these.</summary>
public static class Limits
{
    /// <summary>Ids: letters, digits, '.', '_', '-'; starts with a letter or digit. Patterns are written as the contract
    /// (JSON Schema, ECMAScript) reads them and always applied to the whole value (<see cref="Matches"/>): .NET's <c>$</c> alone
    /// would also match before a trailing newline.</summary>
    public const string IdPattern = "^[A-Za-z0-9][A-Za-z0-9._-]*$";
    public const int MaxIdLength = 64;
    public const int MaxNameLength = 200;
    /// <summary>Region codes are 2–12 digits (China's administrative division codes: 42, 4201, 420106…).</summary>
    public const string RegionPattern = "^[0-9]{2,12}$";
    public const int MaxRegions = 200;
    public const int MaxListItems = 500;
    public const int MaxOrderQuantity = 100_000;
    public const int MaxOrderLines = 50;
    public const int MaxStockUnits = 100_000_000;
    public const int MaxCapacity = 100_000_000;
    public const int MaxPriorityTier = 100;
    public const double MaxPrice = 10_000_000;
    public const int MaxIdempotencyKeyLength = 200;
    public const int MaxSubstitutes = 20;
    public const int MaxReasonLength = 500;
    /// <summary>A short code such as a customer's kind or a product's unit.</summary>
    public const int MaxCodeLength = 32;
    public const int MaxPriceTiers = 20;
    public const double MaxRankingWeight = 100;
    public const double MinDistanceKm = 0.1;
    public const double MaxDistanceKm = 20_000;
    public const int MaxSplits = 20;
    /// <summary>A flash-sale simulation's bounds: orders, seconds, units per order.</summary>
    public const int MaxSimulatedOrders = 20_000;
    public const int MaxSimulationSeconds = 120;
    public const int MaxSimulatedQuantity = 20;
    /// <summary>A campaign's payment window: up to 30 days.</summary>
    public const int MaxPaymentWindowSeconds = 30 * 24 * 3600;
    /// <summary>How long a held order may wait before it is auto-rejected, and a pre-order hold its reservations: 30 days.</summary>
    public const int MaxHoldSeconds = 30 * 24 * 3600;
    /// <summary>Orders one bulk review call decides.</summary>
    public const int MaxBulkOrders = 200;
    /// <summary>Rows of one SAP stock snapshot.</summary>
    public const int MaxSnapshotRows = 200_000;
    public const double MaxLatitude = 90;
    public const double MaxLongitude = 180;

    /// <summary>The whole of <paramref name="value"/> matches <paramref name="pattern"/> (as RegularExpressionAttribute checks it).</summary>
    public static bool Matches(string pattern, string value) =>
        System.Text.RegularExpressions.Regex.Match(value, pattern) is { Success: true, Index: 0 } match && match.Length == value.Length;
}
