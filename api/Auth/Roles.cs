namespace Routing.Api.Auth;

/// <summary>The roles and claim names of the public surface.</summary>
public static class Roles
{
    public const string Ops = "ops";
    public const string Distributor = "distributor";
    public const string Customer = "customer";
    /// <summary>The ERP and payment integrations' service identity: reads orders, records payments and refunds, reads the
    /// ERP feed. Also the name of the policy only it passes (the feed).</summary>
    public const string Erp = "erp";
    /// <summary>A sales manager: sees and changes the orders of the customers it manages, reads those customers.</summary>
    public const string Sales = "sales";

    /// <summary>The policy of what the payment integration does: ops or erp.</summary>
    public const string Payments = "payments";

    public const string RoleClaim = "role";
    public const string DistributorIdClaim = "distributor_id";
    public const string CustomerIdClaim = "customer_id";
    public const string SalesIdClaim = "sales_id";

    public const string Issuer = "routing";
    public const string Audience = "routing-api";
}
