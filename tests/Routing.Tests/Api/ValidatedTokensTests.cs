using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Routing.Api.Auth;

namespace Routing.Tests.Api;

/// <summary>The remembered validations of <see cref="ValidatedTokens"/> never accept what a full validation would refuse.</summary>
public sealed class ValidatedTokensTests
{
    private static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes(ApiFactory.SigningKey));

    /// <summary>No clock skew, so a token has expired the moment its lifetime is over.</summary>
    private static TokenValidationParameters Parameters(TimeSpan? clockSkew = null) => new()
    {
        ValidIssuer = Roles.Issuer,
        ValidAudience = Roles.Audience,
        IssuerSigningKey = Key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = clockSkew ?? TimeSpan.Zero,
    };

    /// <summary>A token issued <paramref name="issuedAgo"/> (none: now) that lives <paramref name="lifetime"/>. The full
    /// validation reads the system clock, so tokens are minted on it.</summary>
    private static string Mint(TimeSpan lifetime, SymmetricSecurityKey? key = null, TimeSpan? issuedAgo = null)
    {
        var issued = DateTime.UtcNow - (issuedAgo ?? TimeSpan.Zero);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Roles.Issuer,
            Audience = Roles.Audience,
            Subject = new ClaimsIdentity([new Claim("sub", "c-1"), new Claim(Roles.RoleClaim, Roles.Customer), new Claim(Roles.CustomerIdClaim, "c-1")]),
            IssuedAt = issued,
            NotBefore = issued,
            Expires = issued + lifetime,
            SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.HmacSha256),
        });
    }

    [Fact]
    public async Task A_valid_token_is_validated_once_and_remembered()
    {
        var tokens = new ValidatedTokens();
        var token = Mint(TimeSpan.FromMinutes(10));

        var first = await tokens.ValidateTokenAsync(token, Parameters());
        var again = await tokens.ValidateTokenAsync(token, Parameters());

        Assert.True(first.IsValid);
        Assert.Same(first, again);
    }

    [Fact]
    public async Task A_remembered_token_is_refused_once_it_expires()
    {
        // Its lifetime ended a minute ago: within a skew of five minutes it is valid, and remembered.
        var tokens = new ValidatedTokens();
        var token = Mint(TimeSpan.FromMinutes(9), issuedAgo: TimeSpan.FromMinutes(10));
        var lenient = Parameters(clockSkew: TimeSpan.FromMinutes(5));
        var first = await tokens.ValidateTokenAsync(token, lenient);
        Assert.True(first.IsValid);
        Assert.Same(first, await tokens.ValidateTokenAsync(token, lenient));

        // Judged with no skew it has expired: the remembered answer is not given, the full validation's is.
        var expired = await tokens.ValidateTokenAsync(token, Parameters());

        Assert.False(expired.IsValid);
        Assert.IsType<SecurityTokenExpiredException>(expired.Exception);
    }

    [Fact]
    public async Task A_remembered_answer_is_given_only_while_the_clock_says_the_token_lives()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var tokens = new ValidatedTokens(clock);
        var token = Mint(TimeSpan.FromMinutes(10));
        var first = await tokens.ValidateTokenAsync(token, Parameters());
        Assert.True(first.IsValid);

        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Same(first, await tokens.ValidateTokenAsync(token, Parameters()));

        // Past its expiry by this clock: validated in full again (on the system clock, where it still lives), not
        // answered from memory.
        clock.Advance(TimeSpan.FromMinutes(2));
        var again = await tokens.ValidateTokenAsync(token, Parameters());
        Assert.NotSame(first, again);
        Assert.True(again.IsValid);
    }

    [Fact]
    public async Task A_tampered_copy_of_a_remembered_token_is_refused()
    {
        var tokens = new ValidatedTokens();
        var token = Mint(TimeSpan.FromMinutes(10));
        Assert.True((await tokens.ValidateTokenAsync(token, Parameters())).IsValid);

        var tampered = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
        var forged = Mint(TimeSpan.FromMinutes(10), new SymmetricSecurityKey(Encoding.UTF8.GetBytes("another-key-that-is-long-enough-for-hs256-0123456789")));

        Assert.False((await tokens.ValidateTokenAsync(tampered, Parameters())).IsValid);
        Assert.False((await tokens.ValidateTokenAsync(forged, Parameters())).IsValid);
        Assert.False((await tokens.ValidateTokenAsync(forged, Parameters())).IsValid); // a refusal is not remembered as valid
    }
}
