using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Routing.Bench.Baselines;

/// <summary>The engine's token validation, configured the same way here (the baselines do not reference the API):
/// HS256 with the driver's key, issuer <c>routing</c>, audience <c>routing-api</c>, lifetime with 30 s of skew, and the
/// engine's token rules after validation (exactly one known role, exactly one well-formed id claim for that role, an
/// expiry, iat or nbf, at most 24 h of lifetime). So a peer's numbers include what auth costs the engine.</summary>
public static partial class BaselineAuth
{
    /// <summary>The policy of the order route: a customer acting as one customer.</summary>
    public const string CustomerPolicy = "customer";

    private static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);
    private static readonly string[] KnownRoles = ["ops", "distributor", "customer"];

    public static void AddBaselineAuth(this IServiceCollection services, string signingKey)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = "routing",
                ValidAudience = "routing-api",
                IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)),
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                RoleClaimType = "role",
                NameClaimType = "sub",
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            o.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    if (context.SecurityToken is not JsonWebToken token) context.Fail("unexpected token type");
                    else if (Violation(context.Principal!, token, DateTimeOffset.UtcNow) is { } violation) context.Fail(violation);
                    return Task.CompletedTask;
                },
            };
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(CustomerPolicy, p => p.RequireRole("customer").RequireClaim("customer_id"));
    }

    private static string? Violation(System.Security.Claims.ClaimsPrincipal principal, JsonWebToken token, DateTimeOffset now)
    {
        var roles = principal.FindAll("role").Select(c => c.Value).ToList();
        if (roles.Count != 1 || !KnownRoles.Contains(roles[0], StringComparer.Ordinal)) return "the token needs exactly one known role";
        var idClaim = roles[0] switch { "distributor" => "distributor_id", "customer" => "customer_id", _ => null };
        if (idClaim is not null)
        {
            var ids = principal.FindAll(idClaim).Select(c => c.Value).ToList();
            if (ids.Count != 1 || ids[0].Length > 64 || !Id().IsMatch(ids[0])) return $"a {roles[0]} token needs exactly one {idClaim}";
        }
        if (token.ValidTo == DateTime.MinValue) return "the token has no expiry";
        var issued = token.IssuedAt != DateTime.MinValue ? token.IssuedAt : token.ValidFrom;
        if (issued == DateTime.MinValue) return "the token has neither iat nor nbf";
        var expires = new DateTimeOffset(token.ValidTo, TimeSpan.Zero);
        if (expires - new DateTimeOffset(issued, TimeSpan.Zero) > MaxLifetime || expires - now > MaxLifetime)
            return "the token lives too long";
        return null;
    }

    // The engine's id pattern (api/Infrastructure/Limits.cs).
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex Id();
}
