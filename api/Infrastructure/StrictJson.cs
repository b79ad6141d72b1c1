using System.Text.Json;
using System.Text.Json.Serialization;

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
        options.Converters.Add(new PlainTextConverter());
    }

    /// <summary>An enum named exactly as in the contract (a query parameter's, say): never a number, never another case.</summary>
    public static bool TryParseName<T>(string text, out T value) where T : struct, Enum
    {
        value = default;
        if (!Enum.GetNames<T>().Contains(text, StringComparer.Ordinal)) return false;
        value = Enum.Parse<T>(text);
        return true;
    }

    /// <summary>Every string the API reads: control characters (U+0000–U+001F, U+007F–U+009F) are refused, so no free
    /// text can carry a NUL into storage or a newline into a log line or an id.</summary>
    private sealed class PlainTextConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String) throw new JsonException(PlainText.ExpectedStringMessage);
            var value = reader.GetString()!;
            if (PlainText.HasControlCharacters(value)) throw new JsonException(PlainText.ControlCharactersMessage);
            return value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}

/// <summary>The rule for free text everywhere it enters: bodies (<see cref="StrictJson"/>), paths, query strings and headers
/// (<see cref="PlainTextRequests"/>).</summary>
public static class PlainText
{
    public const string ControlCharactersMessage = "control characters are not allowed";
    public const string ExpectedStringMessage = "expected a string";

    public static bool HasControlCharacters(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (char.IsControl(c)) return true;
        return false;
    }
}
