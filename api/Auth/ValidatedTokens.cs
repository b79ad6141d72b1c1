using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Routing.Api.Auth;

/// <summary>Validates a token once and remembers the answer until the token expires, so a customer's many requests in a
/// sale cost one parse and one signature check, not one each. The token's text is the key: any change to it (another
/// claim, expiry or signature) is another key, validated in full. A remembered token is answered only while it is within
/// its lifetime, exactly as a full validation would judge it; refusals are never remembered. Bounded: past
/// <see cref="MaxEntries"/> tokens it starts afresh. The token rules (<see cref="TokenRules"/>) still run on every request.
/// A remembered token's lifetime is judged on <paramref name="clock"/>: the system clock unless a test passes another,
/// and the system clock is what the full validation reads.</summary>
public sealed class ValidatedTokens(TimeProvider? clock = null) : JsonWebTokenHandler
{
    public const int MaxEntries = 50_000;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    private readonly ConcurrentDictionary<string, TokenValidationResult> _valid = new(StringComparer.Ordinal);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (_valid.TryGetValue(token, out var known))
        {
            // The same judgement of its lifetime as the full validation: until its expiry plus the clock skew allowed.
            if (_clock.GetUtcNow().UtcDateTime <= known.SecurityToken.ValidTo + validationParameters.ClockSkew) return known;
            _valid.TryRemove(token, out _);
        }
        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid)
        {
            if (_valid.Count >= MaxEntries) _valid.Clear();
            _valid[token] = result;
        }
        return result;
    }
}
