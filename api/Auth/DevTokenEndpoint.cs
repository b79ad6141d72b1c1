using Microsoft.AspNetCore.Http.HttpResults;
using Routing.Api.Infrastructure;

namespace Routing.Api.Auth;

/// <summary>One-click sign-in for the embedded default: <c>GET /api/dev/tokens?role=ops</c> hands out tokens to anyone.
/// Mapped only in the Development environment with in-memory storage, never in production.</summary>
public static class DevTokenEndpoint
{
    public sealed record TokenResponse(string Token);

    public static void MapDevTokenEndpoint(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment() || (app.Configuration["Storage:Provider"] ?? "Memory") != "Memory") return;

        app.MapGet("/api/dev/tokens", Results<Ok<TokenResponse>, ProblemHttpResult> (string role, string? distributorId, string? customerId, IConfiguration configuration) =>
        {
            if (role is not (Roles.Ops or Roles.Distributor or Roles.Customer)) return Problems.BadRequest("invalidRole", "role is ops, distributor or customer");
            if (role == Roles.Distributor && (distributorId is null || !TokenRules.IsId(distributorId)))
                return Problems.BadRequest("distributorIdRequired", "a distributor token needs a distributorId (letters, digits, '.', '_', '-')");
            if (role == Roles.Customer && (customerId is null || !TokenRules.IsId(customerId)))
                return Problems.BadRequest("customerIdRequired", "a customer token needs a customerId (letters, digits, '.', '_', '-')");
            return TypedResults.Ok(new TokenResponse(TokenIssuer.Issue(configuration, role,
                role == Roles.Distributor ? distributorId : null, role == Roles.Customer ? customerId : null, lifetime: TokenIssuer.DefaultLifetime(configuration))));
        }).AllowAnonymous().WithTags("Development")
            .ExcludeFromDescription();
    }
}
