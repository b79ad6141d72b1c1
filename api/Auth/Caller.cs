using System.Security.Claims;

namespace Routing.Api.Auth;

/// <summary>Who is calling, from the token's claims; the one place access rules are written down.</summary>
public sealed record Caller(string Subject, string Role, string? DistributorId, string? CustomerId)
{
    public static Caller From(ClaimsPrincipal user) => new(
        user.FindFirstValue("sub") ?? "",
        user.FindFirstValue(Roles.RoleClaim) ?? "",
        user.FindFirstValue(Roles.DistributorIdClaim),
        user.FindFirstValue(Roles.CustomerIdClaim));

    public bool IsOps => Role == Roles.Ops;

    /// <summary>Ops see every distributor; a distributor sees only itself.</summary>
    public bool CanSeeDistributor(string distributorId) =>
        IsOps || (Role == Roles.Distributor && DistributorId == distributorId);

    /// <summary>Ops see every customer; a customer sees only itself.</summary>
    public bool CanSeeCustomer(string customerId) =>
        IsOps || (Role == Roles.Customer && CustomerId == customerId);

    /// <summary>Ops see every order; a customer its own; a distributor those allocated to it.</summary>
    public bool CanSeeOrder(Routing.Contracts.Orders.OrderView order) =>
        CanSeeCustomer(order.CustomerId) || order.Allocations.Any(a => CanSeeDistributor(a.DistributorId));
}

public static class CallerExtensions
{
    public static Caller Caller(this HttpContext context) => Auth.Caller.From(context.User);
}
