namespace Routing.SapSim;

/// <summary>What the demo imports, as SAP exports it: a products CSV (material master), distributors and customers
/// (business partners) and stock levels, beside the embedded default's demo data (distributors d-01…d-24, SKUs such as
/// UREA-50 and NPK-15-50). Each set has a bad row or two, so the rejections show: a SKU with a space, a product that
/// substitutes itself, a latitude off the globe, a customer whose home distributor SAP knows and Routing does not, stock
/// of a material not in the master data.</summary>
public static class DemoMasterData
{
    /// <summary>The imported distributors (both good).</summary>
    public static readonly string[] Distributors = ["d-25", "d-26"];

    /// <summary>The imported products (the three good ones).</summary>
    public static readonly string[] Products = ["SSP-50", "ZNSO4-25", "NPK-20-50"];

    /// <summary>Rows 4 and 5 are refused: a SKU with a space (validationFailed), a product that substitutes itself
    /// (invalidSubstitute).</summary>
    public const string ProductsCsv = """
        sku,name,unit,category,substitutes
        SSP-50,"Single superphosphate 16% P2O5, 50 kg",bag,fertiliser,
        ZNSO4-25,"Zinc sulphate monohydrate, 25 kg",bag,fertiliser,
        NPK-20-50,"Compound NPK 20-10-10, 50 kg",bag,fertiliser,NPK-15-50;NPK-17-50
        BORAX 1,"Borax 11% B, 1 kg",pack,fertiliser,
        HUMIC-20,"Humic acid granules, 20 kg",bag,fertiliser,HUMIC-20

        """;

    /// <summary>Row 3 is refused: its latitude is off the globe (validationFailed).</summary>
    public static readonly object[] DistributorRows =
    [
        new { id = "d-25", name = "Xiaogan Agri Supply 25 孝感农资", regions = new[] { "4209" }, location = new { lat = 30.92, lon = 113.92 }, priority = 2, dailyCapacity = 3000 },
        new { id = "d-26", name = "Xianning Agri Supply 26 咸宁农资", regions = new[] { "4212" }, location = new { lat = 29.84, lon = 114.32 }, priority = 2, dailyCapacity = 2500 },
        new { id = "d-27", name = "Suizhou Agri Supply 27", regions = new[] { "4213" }, location = new { lat = 131.7, lon = 113.37 }, priority = 2, dailyCapacity = 2000 },
    ];

    /// <summary>Row 3 is refused: its home distributor is not in Routing (unknownDistributor).</summary>
    public static readonly object[] CustomerRows =
    [
        new { id = "c-1201", name = "Grower 1201", region = "420902", location = new { lat = 30.95, lon = 113.9 }, homeDistributorId = "d-25", kind = "large grower" },
        new { id = "c-1202", name = "Grower 1202", region = "421202", location = new { lat = 29.86, lon = 114.3 }, homeDistributorId = "d-26", kind = "household" },
        new { id = "c-1203", name = "Grower 1203", region = "421302", location = new { lat = 31.7, lon = 113.4 }, homeDistributorId = "d-27", kind = "household" },
    ];

    /// <summary>Stock of the new distributors in the new products and urea; the last row is a material SAP has and
    /// Routing's master data does not (unknownProduct).</summary>
    public static readonly StockLevel[] StockRows =
    [
        new("d-25", "SSP-50", 400, 80), new("d-25", "ZNSO4-25", 120, 20), new("d-25", "NPK-20-50", 260, 50), new("d-25", "UREA-50", 500, 150),
        new("d-26", "SSP-50", 300, 80), new("d-26", "ZNSO4-25", 90, 20), new("d-26", "NPK-20-50", 180, 50), new("d-26", "UREA-50", 450, 150),
        new("d-26", "KCL-60", 75, 10),
    ];

    /// <summary>What SAP counted, as a difference from what the stock import set: 3 bags of SSP-50 written off at d-25,
    /// a delivery of 12 ZNSO4-25 at d-26 that SAP booked and Routing never heard of, and one bag of urea within the
    /// tolerance. The other rows match.</summary>
    public static readonly IReadOnlyDictionary<(string DistributorId, string Sku), int> SnapshotChanges = new Dictionary<(string, string), int>
    {
        [("d-25", "SSP-50")] = -3,
        [("d-26", "ZNSO4-25")] = 12,
        [("d-26", "UREA-50")] = 1,
    };

    public const int Tolerance = 2;
}
