using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Routing.Api.Infrastructure;

/// <summary>How the API reads and writes JSON, in one place: strictly. A request that is not exactly what the contract
/// says is refused (400) rather than guessed at: duplicate keys, unknown fields, fields in another case, numbers sent as
/// strings, enums sent as numbers, <c>null</c> where a value is required, missing required fields, and control characters
/// in any string.</summary>
public static class StrictJson
{
    public static void Apply(JsonSerializerOptions options)
    {
        options.AllowDuplicateProperties = false;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.PropertyNameCaseInsensitive = false;
        options.NumberHandling = JsonNumberHandling.Strict;
        // A positional record parameter without a default is a required field; a non-nullable one refuses null.
        options.RespectRequiredConstructorParameters = true;
        options.RespectNullableAnnotations = true;
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        // The order endpoints' types from compile-time metadata (ApiJsonContext) first, then the chain the options had:
        // the framework's problem-details context, and reflection for everything else.
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(ApiJsonContext.Default, options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver())
            .WithAddedModifier(RefuseControlCharacters);
    }

    /// <summary>An enum named exactly as in the contract (a query parameter's, say): never a number, never another case.</summary>
    public static bool TryParseName<T>(string text, out T value) where T : struct, Enum
    {
        value = default;
        if (!Enum.GetNames<T>().Contains(text, StringComparer.Ordinal)) return false;
        value = Enum.Parse<T>(text);
        return true;
    }

    /// <summary>Every string an object read from a request holds — its string fields and the items of its string lists —
    /// is checked once the object is built: control characters (U+0000–U+001F, U+007F–U+009F) are refused, so no free
    /// text can carry a NUL into storage or a newline into a log line or an id. (A modifier rather than a converter, so
    /// the OpenAPI schemas still say "string".)</summary>
    private static void RefuseControlCharacters(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object) return;
        var texts = info.Properties
            .Where(p => p.PropertyType == typeof(string) || typeof(IEnumerable<string>).IsAssignableFrom(p.PropertyType) && p.PropertyType != typeof(string))
            .ToList();
        if (texts.Count == 0 || texts.Any(p => p.Get is null)) return;
        var previous = info.OnDeserialized;
        info.OnDeserialized = value =>
        {
            foreach (var property in texts)
            {
                var text = property.Get!(value);
                var offending = text switch
                {
                    string one => PlainText.HasControlCharacters(one),
                    IEnumerable<string?> many => many.Any(item => item is not null && PlainText.HasControlCharacters(item)),
                    _ => false,
                };
                if (offending) throw new JsonException($"{PlainText.ControlCharactersMessage} in '{property.Name}'");
            }
            previous?.Invoke(value);
        };
    }
}

/// <summary>The rule for free text everywhere it enters: bodies (<see cref="StrictJson"/>), paths, query strings and headers
/// (<see cref="PlainTextRequests"/>).</summary>
public static class PlainText
{
    public const string ControlCharactersMessage = "control characters are not allowed";

    public static bool HasControlCharacters(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (char.IsControl(c)) return true;
        return false;
    }
}
