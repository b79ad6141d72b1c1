using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Routing.Api.Auth;

namespace Routing.Tests.Api;

/// <summary>The remembered validations of <see cref="ValidatedTokens"/> never accept what a full validation would refuse.</summary>
public sealed class ValidatedTokensTests
{
    private static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes(ApiFactory.SigningKey));
    private static TokenValidationParameters Parameters => new()
    {
        ValidIssuer = Roles.Issuer,
        ValidAudience = Roles.Audience,
        IssuerSigningKey = Key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = TimeSpan.Zero, // so a token's expiry is felt within a test's seconds
    };

    private static string Mint(TimeSpan lifetime, SymmetricSecurityKey? key = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Roles.Issuer,
            Audience = Roles.Audience,
            Subject = new ClaimsIdentity([new Claim("sub", "c-1"), new Claim(Roles.RoleClaim, Roles.Customer), new Claim(Roles.CustomerIdClaim, "c-1")]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.HmacSha256),
        });
    }

    [Fact]
    public async Task A_valid_token_is_validated_once_and_remembered()
    {
        var tokens = new ValidatedTokens();
        var token = Mint(TimeSpan.FromMinutes(10));

        var first = await tokens.ValidateTokenAsync(token, Parameters);
        var again = await tokens.ValidateTokenAsync(token, Parameters);

        Assert.True(first.IsValid);
        Assert.Same(first, again);
    }

    [Fact]
    public async Task A_remembered_token_is_refused_once_it_expires()
    {
        var tokens = new ValidatedTokens();
        var token = Mint(TimeSpan.FromSeconds(2));
        Assert.True((await tokens.ValidateTokenAsync(token, Parameters)).IsValid);

        await Task.Delay(TimeSpan.FromSeconds(3)); // JWT times are whole seconds
        var expired = await tokens.ValidateTokenAsync(token, Parameters);

        Assert.False(expired.IsValid);
        Assert.IsType<SecurityTokenExpiredException>(expired.Exception);
    }

    [Fact]
    public async Task A_tampered_copy_of_a_remembered_token_is_refused()
    {
        var tokens = new ValidatedTokens();
        var token = Mint(TimeSpan.FromMinutes(10));
        Assert.True((await tokens.ValidateTokenAsync(token, Parameters)).IsValid);

        var tampered = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
        var forged = Mint(TimeSpan.FromMinutes(10), new SymmetricSecurityKey(Encoding.UTF8.GetBytes("another-key-that-is-long-enough-for-hs256-0123456789")));

        Assert.False((await tokens.ValidateTokenAsync(tampered, Parameters)).IsValid);
        Assert.False((await tokens.ValidateTokenAsync(forged, Parameters)).IsValid);
        Assert.False((await tokens.ValidateTokenAsync(forged, Parameters)).IsValid); // a refusal is not remembered as valid
    }
}
