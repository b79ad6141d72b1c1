using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Routing.Api.Customers;
using Routing.Api.Distributors;
using Routing.Api.Products;
using Routing.Contracts.Erp;

namespace Routing.Api.Erp;

/// <summary>One import row read and checked as the REST API reads and checks the same body: strict JSON (the API's own
/// options), then its validation attributes (nested objects too), then the rule the endpoint adds before any grain is
/// asked. What needs a grain (does the distributor or product exist, is the stock reserved) the import grain decides.</summary>
public static class ImportRows
{
    public static (ImportRow? Row, ImportRejection? Refused) Parse(ImportKind kind, int row, byte[] json, JsonSerializerOptions options)
    {
        try
        {
            return kind switch
            {
                ImportKind.Products => Read<ProductRequest>(json, options, row, out var refused) is { } product
                    ? product.SubstituteProblem() is { } problem
                        ? (null, new ImportRejection(row, "invalidSubstitute", problem))
                        : (new ImportRow(row, Product: product.ToProduct()), null)
                    : (null, refused),
                ImportKind.Distributors => Read<DistributorRequest>(json, options, row, out var refused) is { } distributor
                    ? (new ImportRow(row, Distributor: distributor.ToProfile()), null)
                    : (null, refused),
                ImportKind.Customers => Read<CustomerRequest>(json, options, row, out var refused) is { } customer
                    ? (new ImportRow(row, Customer: customer.ToProfile()), null)
                    : (null, refused),
                ImportKind.Stock => Read<StockLevelRequest>(json, options, row, out var refused) is { } stock
                    ? (new ImportRow(row, Stock: new ImportedStock(stock.DistributorId, stock.Sku, stock.OnHand, stock.Threshold)), null)
                    : (null, refused),
            };
        }
        catch (JsonException e)
        {
            return (null, new ImportRejection(row, "invalidRow", e.Message));
        }
    }

    private static T? Read<T>(byte[] json, JsonSerializerOptions options, int row, out ImportRejection? refused) where T : class
    {
        refused = null;
        var value = JsonSerializer.Deserialize<T>(json, options);
        if (value is null)
        {
            refused = new ImportRejection(row, "invalidRow", "a row is a JSON object, not null");
            return null;
        }
        var errors = new List<string>();
        Validate(value, "", errors);
        if (errors.Count == 0) return value;
        refused = new ImportRejection(row, "validationFailed", string.Join("; ", errors));
        return null;
    }

    /// <summary>The object's validation attributes, and those of the API's own types it holds (a location), with the
    /// field's JSON path in each message.</summary>
    private static void Validate(object value, string path, List<string> errors)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true);
        foreach (var result in results)
            errors.Add($"{path}{string.Join(", ", result.MemberNames.Select(JsonNamingPolicy.CamelCase.ConvertName))}: {result.ErrorMessage}");
        foreach (var property in value.GetType().GetProperties())
            if (property.PropertyType.Assembly == typeof(ImportRows).Assembly && property.GetValue(value) is { } inner)
                Validate(inner, $"{path}{JsonNamingPolicy.CamelCase.ConvertName(property.Name)}.", errors);
    }
}
