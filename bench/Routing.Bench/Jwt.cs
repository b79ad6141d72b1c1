using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Routing.Bench;

/// <summary>Mints the HS256 tokens the engine and the naive baseline accept (issuer <c>routing</c>, audience
/// <c>routing-api</c>), so the driver can act as thousands of customers without a token endpoint.</summary>
public static class Jwt
{
    public static string Issue(string signingKey, string role, string? customerId = null, TimeSpan? lifetime = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = "routing", ["aud"] = "routing-api", ["sub"] = customerId ?? role, ["role"] = role,
            ["iat"] = now, ["nbf"] = now, ["exp"] = now + (long)(lifetime ?? TimeSpan.FromHours(2)).TotalSeconds,
        };
        if (customerId is not null) claims["customer_id"] = customerId;
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8);
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.ASCII.GetBytes($"{header}.{payload}"));
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
