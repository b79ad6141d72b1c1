using System.Collections;
using System.ComponentModel.DataAnnotations;

namespace Routing.Api.Infrastructure;

/// <summary>Validates every string of a list: not empty, at most <see cref="MaxLength"/> characters, matching <see cref="Pattern"/>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class EachItemAttribute(string pattern, int maxLength = Limits.MaxIdLength) : ValidationAttribute
{
    public string Pattern { get; } = pattern;
    public int MaxLength { get; } = maxLength;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not IEnumerable items) return ValidationResult.Success;
        var index = 0;
        foreach (var item in items)
        {
            if (item is not string s || s.Length == 0 || s.Length > MaxLength || !Limits.Matches(Pattern, s))
                return new ValidationResult($"{validationContext.DisplayName}[{index}] must be 1–{MaxLength} characters matching {Pattern}.",
                    validationContext.MemberName is null ? null : [validationContext.MemberName]);
            index++;
        }
        return ValidationResult.Success;
    }
}
