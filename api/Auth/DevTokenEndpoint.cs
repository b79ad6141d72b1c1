using Microsoft.AspNetCore.Http.HttpResults;
using Routing.Api.Infrastructure;

namespace Routing.Api.Auth;

/// <summary>One-click sign-in for the embedded default: <c>GET /api/dev/tokens?role=ops</c> hands out tokens to anyone
/// (<c>role=distributor&amp;distributorId=</c>, <c>role=customer&amp;customerId=</c>, <c>role=sales&amp;salesId=</c>).
/// Mapped only in the Development environment with in-memory storage, never in production.</summary>
public static class DevTokenEndpoint
{
    public sealed record TokenResponse(string Token);

    public static void MapDevTokenEndpoint(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment() || (app.Configuration["Storage:Provider"] ?? "Memory") != "Memory") return;

        app.MapGet("/api/dev/tokens", Results<Ok<TokenResponse>, ProblemHttpResult> (string role, string? distributorId, string? customerId, string? salesId,
            IConfiguration configuration) =>
        {
            if (role is not (Roles.Ops or Roles.Distributor or Roles.Customer or Roles.Sales))
                return Problems.BadRequest("invalidRole", "role is ops, distributor, customer or sales");
            if (role == Roles.Distributor && (distributorId is null || !TokenRules.IsId(distributorId)))
                return Problems.BadRequest("distributorIdRequired", "a distributor token needs a distributorId (letters, digits, '.', '_', '-')");
            if (role == Roles.Customer && (customerId is null || !TokenRules.IsId(customerId)))
                return Problems.BadRequest("customerIdRequired", "a customer token needs a customerId (letters, digits, '.', '_', '-')");
            if (role == Roles.Sales && (salesId is null || !TokenRules.IsId(salesId)))
                return Problems.BadRequest("salesIdRequired", "a sales token needs a salesId (letters, digits, '.', '_', '-')");
            return TypedResults.Ok(new TokenResponse(TokenIssuer.Issue(configuration, role,
                role == Roles.Distributor ? distributorId : null, role == Roles.Customer ? customerId : null,
                lifetime: TokenIssuer.DefaultLifetime(configuration), salesId: role == Roles.Sales ? salesId : null)));
        }).AllowAnonymous().WithTags("Development")
            .ExcludeFromDescription();
    }
}
