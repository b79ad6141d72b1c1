namespace Routing.Domain.Rules;

/// <summary>The dedupe key of each kind of alert: while an alert with a key is open, raising the same key again counts a
/// repeat instead of opening a second one, and clearing the key closes it. So the key says what one alert is about.</summary>
public static class AlertKeys
{
    /// <summary>One per distributor and SKU: available is below the restock threshold.</summary>
    public static string LowStock(string distributorId, string sku) => $"low-stock:{distributorId}:{sku}";

    /// <summary>One per distributor and SKU: nothing is available.</summary>
    public static string OutOfStock(string distributorId, string sku) => $"out-of-stock:{distributorId}:{sku}";

    /// <summary>One per distributor and SKU: its stock covers fewer days of sales than <c>lowCoverDays</c>.</summary>
    public static string LowCover(string distributorId, string sku) => $"low-cover:{distributorId}:{sku}";

    /// <summary>One per order: substitutes were suggested for it.</summary>
    public static string SubstitutionSuggested(string orderId) => $"substitution:{orderId}";

    /// <summary>One per campaign (or, outside a campaign, per SKU): it counts the orders that could not be allocated,
    /// rather than one alert per order.</summary>
    public static string AllocationFailed(string? campaignId, string sku) => $"allocation-failed:{campaignId ?? sku}";

    /// <summary>One for ops per campaign that did not form, and one per distributor whose orders it cancelled.</summary>
    public static string CampaignNotFormed(string campaignId, string? distributorId = null) =>
        distributorId is null ? $"campaign-not-formed:{campaignId}" : $"campaign-not-formed:{campaignId}:{distributorId}";

    /// <summary>One per transfer received short (at the destination, and for ops).</summary>
    public static string TransferDiscrepancy(string transferId) => $"transfer-discrepancy:{transferId}";

    /// <summary>One per stocktake line that could not be applied: the count would take on hand below what is reserved.</summary>
    public static string StocktakeShortfall(string distributorId, string sku, string stocktakeId) =>
        $"stocktake-shortfall:{distributorId}:{sku}:{stocktakeId}";

    /// <summary>One per SKU of a distributor where a SAP snapshot differed beyond its tolerance.</summary>
    public static string ReconciliationDifference(string distributorId, string sku, string snapshotId) =>
        $"reconciliation-difference:{distributorId}:{sku}:{snapshotId}";

    /// <summary>One per SKU of a distributor where a SAP snapshot could be applied down to reserved only.</summary>
    public static string ReconciliationShortfall(string distributorId, string sku, string snapshotId) =>
        $"reconciliation-shortfall:{distributorId}:{sku}:{snapshotId}";
}
