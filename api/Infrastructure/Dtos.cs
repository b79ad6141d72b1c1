using System.ComponentModel.DataAnnotations;
using Routing.Domain;

namespace Routing.Api.Infrastructure;

/// <summary>A location in a request body.</summary>
public sealed record LocationDto(
    [property: Range(-Limits.MaxLatitude, Limits.MaxLatitude)] double Lat,
    [property: Range(-Limits.MaxLongitude, Limits.MaxLongitude)] double Lon)
{
    public GeoPoint ToGeoPoint() => new(Lat, Lon);
    public static LocationDto From(GeoPoint p) => new(p.Lat, p.Lon);
}
