namespace Routing.Api.Auth;

/// <summary>The roles and claim names of the public surface.</summary>
public static class Roles
{
    public const string Ops = "ops";
    public const string Distributor = "distributor";
    public const string Customer = "customer";

    public const string RoleClaim = "role";
    public const string DistributorIdClaim = "distributor_id";
    public const string CustomerIdClaim = "customer_id";

    public const string Issuer = "routing";
    public const string Audience = "routing-api";
}
