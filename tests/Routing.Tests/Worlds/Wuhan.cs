using Routing.Domain;

namespace Routing.Tests.Worlds;

/// <summary>Where every test world is: Wuhan. Distributors cover the city, customers live in Wuchang district, and
/// group-buys are open to the province.</summary>
public static class Wuhan
{
    public const string Province = "42";
    public const string City = "4201";
    /// <summary>Wuchang district, inside the city: a distributor whose territory is the city covers it.</summary>
    public const string District = "420106";
    public static readonly GeoPoint Wuchang = new(30.55, 114.30);
}
