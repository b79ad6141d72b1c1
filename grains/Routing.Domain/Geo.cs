namespace Routing.Domain;

/// <summary>A point on the earth in decimal degrees.</summary>
[GenerateSerializer, Immutable]
public readonly record struct GeoPoint([property: Id(0)] double Lat, [property: Id(1)] double Lon)
{
    private const double EarthRadiusKm = 6371.0088;

    /// <summary>Great-circle distance in kilometres (haversine).</summary>
    public double DistanceKmTo(GeoPoint other)
    {
        static double Rad(double deg) => deg * Math.PI / 180.0;
        var dLat = Rad(other.Lat - Lat);
        var dLon = Rad(other.Lon - Lon);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
              + Math.Cos(Rad(Lat)) * Math.Cos(Rad(other.Lat)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}

/// <summary>Region codes are hierarchical (China's administrative division codes: "42" province,
/// "4201" city, "420106" district), so a territory code covers every code that starts with it.</summary>
public static class RegionCodes
{
    public static bool Covers(string territory, string region) =>
        region.StartsWith(territory, StringComparison.Ordinal);

    public static bool AnyCovers(IEnumerable<string> territories, string region)
    {
        // Indexed when possible: the router asks this of every candidate, and enumerating an interface allocates.
        if (territories is IReadOnlyList<string> list)
        {
            for (var i = 0; i < list.Count; i++)
                if (Covers(list[i], region)) return true;
            return false;
        }
        foreach (var t in territories)
            if (Covers(t, region)) return true;
        return false;
    }
}
