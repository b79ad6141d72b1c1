using System.Collections;
using System.ComponentModel.DataAnnotations;

namespace Routing.Api.Infrastructure;

/// <summary>Rejects a list holding a JSON <c>null</c>: request validation checks the items that are there, but lets a
/// null item through, and endpoint code reading it would fail with a 500 instead of a 400.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class NoNullItemsAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not IEnumerable items) return ValidationResult.Success;
        var index = 0;
        foreach (var item in items)
        {
            if (item is null)
                return new ValidationResult($"{validationContext.DisplayName}[{index}] must not be null.",
                    validationContext.MemberName is null ? null : [validationContext.MemberName]);
            index++;
        }
        return ValidationResult.Success;
    }
}
