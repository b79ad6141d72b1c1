using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Routing.Api.Infrastructure;

namespace Routing.Api.Auth;

/// <summary>What a token must say, beyond a valid signature, issuer, audience and lifetime: exactly one known role, the id
/// claim that role acts as (a distributor's <c>distributor_id</c>, a customer's <c>customer_id</c>, a sales manager's
/// <c>sales_id</c>), and a lifetime no longer than <c>Auth:MaxTokenLifetime</c>. A token that breaks a rule is refused at
/// sign-in (401), so no endpoint ever sees a caller whose scope is unclear: scoping cannot fail open.</summary>
public static class TokenRules
{
    public const string MaxLifetimeSetting = "Auth:MaxTokenLifetime";
    public static readonly TimeSpan DefaultMaxLifetime = TimeSpan.FromHours(24);

    private static readonly string[] KnownRoles = [Roles.Ops, Roles.Distributor, Roles.Customer, Roles.Erp, Roles.Sales];

    public static TimeSpan MaxLifetime(IConfiguration configuration)
    {
        var text = configuration[MaxLifetimeSetting];
        if (text is null) return DefaultMaxLifetime;
        if (!TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var lifetime) || lifetime <= TimeSpan.Zero)
            throw new Silo.RoutingStartupException($"{MaxLifetimeSetting} must be a positive time span such as 24:00:00; it is '{text}'.");
        return lifetime;
    }

    /// <summary>Null when the token may be used; otherwise why not.</summary>
    public static string? Violation(ClaimsPrincipal principal, JsonWebToken token, TimeSpan maxLifetime, DateTimeOffset now)
    {
        var roles = principal.FindAll(Roles.RoleClaim).Select(c => c.Value).ToList();
        if (roles.Count == 0) return "the token has no role";
        if (roles.Count > 1) return "the token has more than one role";
        var role = roles[0];
        if (!KnownRoles.Contains(role, StringComparer.Ordinal)) return $"the token's role must be one of {string.Join(", ", KnownRoles)}";
        var idClaim = role switch
        {
            Roles.Distributor => Roles.DistributorIdClaim,
            Roles.Customer => Roles.CustomerIdClaim,
            Roles.Sales => Roles.SalesIdClaim,
            _ => null,
        };
        if (idClaim is not null)
        {
            var ids = principal.FindAll(idClaim).Select(c => c.Value).ToList();
            if (ids.Count != 1 || !IsId(ids[0])) return $"a {role} token needs exactly one {idClaim}";
        }
        if (token.ValidTo == DateTime.MinValue) return "the token has no expiry";
        // Measured from when it was issued (or valid from) and from now, so a back-dated or future-dated token is capped too.
        var issued = token.IssuedAt != DateTime.MinValue ? token.IssuedAt : token.ValidFrom;
        var expires = new DateTimeOffset(token.ValidTo, TimeSpan.Zero);
        if (issued == DateTime.MinValue) return "the token has neither iat nor nbf";
        if (expires - new DateTimeOffset(issued, TimeSpan.Zero) > maxLifetime || expires - now > maxLifetime)
            return $"the token lives longer than the longest lifetime allowed ({maxLifetime})";
        return null;
    }

    /// <summary>An id a token may carry: what the API accepts as a distributor, customer or sales manager id.</summary>
    public static bool IsId(string value) =>
        value.Length is > 0 and <= Limits.MaxIdLength && Limits.Matches(Limits.IdPattern, value);
}
