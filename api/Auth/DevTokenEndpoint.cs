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
            if (role == Roles.Distributor && string.IsNullOrEmpty(distributorId)) return Problems.BadRequest("distributorIdRequired", "a distributor token needs distributorId");
            if (role == Roles.Customer && string.IsNullOrEmpty(customerId)) return Problems.BadRequest("customerIdRequired", "a customer token needs customerId");
            return TypedResults.Ok(new TokenResponse(TokenIssuer.Issue(configuration, role,
                role == Roles.Distributor ? distributorId : null, role == Roles.Customer ? customerId : null, lifetime: TimeSpan.FromHours(8))));
        }).AllowAnonymous().WithTags("Development")
            // Not part of the contract: it exists only in Development, so a client generated from the document must not see it.
            .ExcludeFromDescription();
    }
}
