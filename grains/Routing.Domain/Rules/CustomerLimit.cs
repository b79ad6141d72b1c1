namespace Routing.Domain.Rules;

/// <summary>A customer's units counted against one campaign's per-customer limit, per order. Counting is idempotent by
/// order (a retry counts once), and an order that would pass the limit is not counted at all.</summary>
public sealed class CustomerLimit
{
    private readonly Dictionary<string, int> _units = new(StringComparer.Ordinal);

    /// <summary>Units counted so far.</summary>
    public int Bought { get; private set; }

    /// <summary>Counts the order's units unless that would pass <paramref name="limit"/>; already counted: allowed as is.
    /// Answers whether it is allowed and what is bought with it (or, refused, without it).</summary>
    public (bool Allowed, int Bought) TryCount(string orderId, int quantity, int limit)
    {
        if (_units.ContainsKey(orderId)) return (true, Bought);
        if (Bought + quantity > limit) return (false, Bought);
        _units[orderId] = quantity;
        Bought += quantity;
        return (true, Bought);
    }

    /// <summary>Gives the order's units back; idempotent.</summary>
    public void Release(string orderId)
    {
        if (_units.Remove(orderId, out var quantity)) Bought -= quantity;
    }
}
