using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Routing.Api.Auth;

/// <summary>JWT bearer authentication (HS256, key from <c>Auth:SigningKey</c>) and the role policies.</summary>
public static class JwtSetup
{
    public const string SigningKeySetting = "Auth:SigningKey";

    /// <summary>How far clocks may disagree when a token's lifetime is judged.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>The key tokens are signed and checked with. Only Development has one by default (a known key in
    /// appsettings.Development.json); elsewhere a missing or short key stops the host with one line.</summary>
    public static SymmetricSecurityKey SigningKey(IConfiguration configuration)
    {
        var key = configuration[SigningKeySetting];
        if (string.IsNullOrWhiteSpace(key))
            throw new Routing.Silo.RoutingStartupException(
                $"{SigningKeySetting} is not set; set it (environment variable Auth__SigningKey) to a secret of at least 32 bytes");
        if (Encoding.UTF8.GetByteCount(key) < 32)
            throw new Routing.Silo.RoutingStartupException(
                $"{SigningKeySetting} is {Encoding.UTF8.GetByteCount(key)} bytes long; HS256 needs a secret of at least 32 bytes");
        return new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key));
    }

    public static IServiceCollection AddRoutingAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var key = SigningKey(configuration);
        var maxLifetime = TokenRules.MaxLifetime(configuration);
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.TokenHandlers.Clear();
                options.TokenHandlers.Add(new ValidatedTokens { MapInboundClaims = false });
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = Roles.Issuer,
                    ValidAudience = Roles.Audience,
                    IssuerSigningKey = key,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    RoleClaimType = Roles.RoleClaim,
                    NameClaimType = "sub",
                    ClockSkew = ClockSkew,
                };
                // Browsers cannot set headers on WebSockets: hubs (and only hubs) also take the token from the query string.
                options.Events = new JwtBearerEvents
                {
                    OnMessageReceived = context =>
                    {
                        if (context.HttpContext.Request.Path.StartsWithSegments("/hubs")
                            && context.Request.Query["access_token"] is { Count: > 0 } token)
                            context.Token = token;
                        return Task.CompletedTask;
                    },
                    OnTokenValidated = context =>
                    {
                        if (context.SecurityToken is not Microsoft.IdentityModel.JsonWebTokens.JsonWebToken token)
                            context.Fail("unexpected token type");
                        else if (TokenRules.Violation(context.Principal!, token, maxLifetime, DateTimeOffset.UtcNow) is { } violation)
                            context.Fail(violation);
                        return Task.CompletedTask;
                    },
                };
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Ops, p => p.RequireRole(Roles.Ops))
            .AddPolicy(Roles.Distributor, p => p.RequireRole(Roles.Distributor).RequireClaim(Roles.DistributorIdClaim))
            .AddPolicy(Roles.Customer, p => p.RequireRole(Roles.Customer).RequireClaim(Roles.CustomerIdClaim))
            .AddPolicy(Roles.Payments, p => p.RequireRole(Roles.Ops, Roles.Erp))
            .AddPolicy(Roles.Erp, p => p.RequireRole(Roles.Erp))
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return services;
    }
}
