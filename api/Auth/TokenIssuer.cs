using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Routing.Api.Auth;

/// <summary>Mints tokens for users: the <c>token</c> CLI verb and the embedded default's start-up ops token.</summary>
public static class TokenIssuer
{
    public static string Issue(IConfiguration configuration, string role, string? distributorId = null, string? customerId = null,
        string? subject = null, TimeSpan? lifetime = null, string? salesId = null)
    {
        var claims = new List<Claim> { new("sub", subject ?? distributorId ?? customerId ?? salesId ?? role), new(Roles.RoleClaim, role) };
        if (distributorId is not null) claims.Add(new(Roles.DistributorIdClaim, distributorId));
        if (customerId is not null) claims.Add(new(Roles.CustomerIdClaim, customerId));
        if (salesId is not null) claims.Add(new(Roles.SalesIdClaim, salesId));
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Roles.Issuer,
            Audience = Roles.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? DefaultLifetime(configuration)),
            SigningCredentials = new SigningCredentials(JwtSetup.SigningKey(configuration), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>12 hours, or the longest a token may live when that is shorter.</summary>
    public static TimeSpan DefaultLifetime(IConfiguration configuration) =>
        TimeSpan.FromHours(12) < TokenRules.MaxLifetime(configuration) ? TimeSpan.FromHours(12) : TokenRules.MaxLifetime(configuration);

    /// <summary><c>token --role ops|distributor|customer|erp|sales [--distributor ID] [--customer ID] [--sales ID] [--sub NAME] [--hours N]</c>;
    /// prints the token. Returns the process exit code.</summary>
    public static int RunCommand(string[] args, IConfiguration configuration, TextWriter output, TextWriter error)
    {
        string? Option(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        var role = Option("--role");
        var distributor = Option("--distributor");
        var customer = Option("--customer");
        var sales = Option("--sales");
        const string usage = "usage: token --role ops|distributor|customer|erp|sales [--distributor ID] [--customer ID] [--sales ID] [--sub NAME] [--hours N]";
        if (role is not (Roles.Ops or Roles.Distributor or Roles.Customer or Roles.Erp or Roles.Sales))
        {
            error.WriteLine(usage);
            return 2;
        }
        if (role == Roles.Distributor && (distributor is null || !TokenRules.IsId(distributor))) { error.WriteLine("a distributor token needs --distributor ID"); return 2; }
        if (role == Roles.Customer && (customer is null || !TokenRules.IsId(customer))) { error.WriteLine("a customer token needs --customer ID"); return 2; }
        if (role == Roles.Sales && (sales is null || !TokenRules.IsId(sales))) { error.WriteLine("a sales token needs --sales ID"); return 2; }
        var max = TokenRules.MaxLifetime(configuration);
        var lifetime = DefaultLifetime(configuration);
        if (Option("--hours") is { } hoursText)
        {
            if (!double.TryParse(hoursText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var hours)
                || hours <= 0 || TimeSpan.FromHours(hours) > max)
            {
                error.WriteLine($"--hours is a number of hours above 0 and at most {max.TotalHours} ({TokenRules.MaxLifetimeSetting})");
                return 2;
            }
            lifetime = TimeSpan.FromHours(hours);
        }
        output.WriteLine(Issue(configuration, role, distributor, customer, Option("--sub"), lifetime, sales));
        return 0;
    }
}
