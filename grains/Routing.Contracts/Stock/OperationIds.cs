using System.Security.Cryptography;
using System.Text;

namespace Routing.Contracts.Stock;

/// <summary>Stock operation ids, derived from the idempotency key of the request that made them (and what the key is
/// scoped to), as order ids are (<see cref="Orders.OrderIds"/>): a retry names the same operation.</summary>
public static class OperationIds
{
    public static string Transfer(string idempotencyKey) => Make("t-", $"transfer\n{idempotencyKey}");

    public static string Return(string orderId, string idempotencyKey) => Make("r-", $"{orderId}\n{idempotencyKey}");

    public static string Stocktake(string distributorId, string idempotencyKey) => Make("s-", $"{distributorId}\n{idempotencyKey}");

    /// <summary>The idempotency key of the replacement order an exchange routes for what came back.</summary>
    public static string ExchangeKey(string returnId) => $"exchange:{returnId}";

    private static string Make(string prefix, string scoped) =>
        prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scoped)), 0, 10);
}
