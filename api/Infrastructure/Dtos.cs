using System.ComponentModel.DataAnnotations;
using Routing.Domain;

namespace Routing.Api.Infrastructure;

/// <summary>A location in a request body.</summary>
public sealed record LocationDto(
    [property: Range(-90.0, 90.0)] double Lat,
    [property: Range(-180.0, 180.0)] double Lon)
{
    public GeoPoint ToGeoPoint() => new(Lat, Lon);
    public static LocationDto From(GeoPoint p) => new(p.Lat, p.Lon);
}
