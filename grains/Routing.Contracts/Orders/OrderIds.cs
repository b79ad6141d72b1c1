using System.Security.Cryptography;
using System.Text;

namespace Routing.Contracts.Orders;

/// <summary>Order ids are derived from (customer, idempotency key): a retry is the same order, placed once by the customer's grain.</summary>
public static class OrderIds
{
    public static string For(string customerId, string idempotencyKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{customerId}\n{idempotencyKey}"));
        return "o-" + Convert.ToHexStringLower(hash, 0, 10);
    }
}
