using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sylvan.Data.Csv;

namespace Routing.Api.Erp;

/// <summary>The request broke off: malformed beyond one row, or cut short. <see cref="Code"/> is its problem code.</summary>
public sealed class ImportFormatException(string code, string detail) : Exception(detail)
{
    public string Code { get; } = code;
}

/// <summary>What an import's body yields, in order: the envelope's fields (JSON only) and each row as the JSON of one item.</summary>
public abstract record ImportItem
{
    public sealed record Field(string Name, string Value) : ImportItem;

    /// <summary>A row's JSON, or why it cannot be read as one (<see cref="Refused"/>, with empty JSON).</summary>
    public sealed record Row(byte[] Json, string? Refused = null) : ImportItem;
}

/// <summary>Reads an import's body a row at a time, never the whole of it: the JSON envelope <c>{ "batchId", "kind",
/// "rows": [ … ] }</c> item by item as it streams in, or CSV whose header names the JSON fields (each CSV row becomes the
/// JSON object of those fields, so both formats meet the same strict JSON rules and validation).</summary>
public static class ImportReader
{
    /// <summary>One row's JSON may be at most this long.</summary>
    private const int MaxRowBytes = 64 * 1024;

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 };

    private enum Phase { Start, Envelope, Rows, End }

    /// <summary>The envelope's fields and rows. The envelope is strict like every body: no unknown or repeated field.</summary>
    public static async IAsyncEnumerable<ImportItem> ReadJsonAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pipe = PipeReader.Create(body);
        var state = new JsonReaderState(ReaderOptions);
        var phase = Phase.Start;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var items = new List<ImportItem>();
        var first = true;
        try
        {
            while (true)
            {
                var read = await pipe.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                if (first)
                {
                    // A file saved with a UTF-8 byte order mark (as spreadsheet tools do): the mark is not JSON.
                    if (buffer.Length < Bom.Length && !read.IsCompleted)
                    {
                        pipe.AdvanceTo(buffer.Start, buffer.End);
                        continue;
                    }
                    first = false;
                    if (buffer.Length >= Bom.Length && buffer.Slice(0, Bom.Length).ToArray().AsSpan().SequenceEqual(Bom))
                    {
                        pipe.AdvanceTo(buffer.GetPosition(Bom.Length));
                        continue;
                    }
                }
                long consumed = 0;
                ImportFormatException? broken = null;
                try
                {
                    consumed = Parse(buffer, read.IsCompleted, ref state, ref phase, seen, items);
                }
                catch (JsonException e)
                {
                    broken = new ImportFormatException("invalidJson", $"the body is not valid JSON: {e.Message}");
                }
                catch (ImportFormatException e)
                {
                    broken = e;
                }
                // The rows read whole before a break are rows like any other.
                foreach (var item in items) yield return item;
                items.Clear();
                if (broken is not null) throw broken;
                if (read.IsCompleted)
                {
                    if (phase != Phase.End) throw new ImportFormatException("invalidJson", "the body ended before its JSON object did");
                    yield break;
                }
                if (buffer.Length - consumed > MaxRowBytes)
                    throw new ImportFormatException("rowTooLarge", $"a row is longer than {MaxRowBytes} bytes");
                pipe.AdvanceTo(buffer.GetPosition(consumed), buffer.End);
            }
        }
        finally
        {
            await pipe.CompleteAsync();
        }
    }

    /// <summary>Reads what the buffer holds whole; answers how many bytes were used (the rest is read again with more).</summary>
    private static long Parse(ReadOnlySequence<byte> buffer, bool final, ref JsonReaderState state, ref Phase phase, HashSet<string> seen,
        List<ImportItem> items)
    {
        var reader = new Utf8JsonReader(buffer, final, state);
        var incomplete = false;
        while (!incomplete)
        {
            // Where to come back to when a token or row is not all here yet.
            var checkpoint = reader;
            if (!reader.Read())
            {
                reader = checkpoint;
                break;
            }
            switch (phase)
            {
                case Phase.Start:
                    if (reader.TokenType != JsonTokenType.StartObject)
                        throw new ImportFormatException("invalidJson", "the body is a JSON object: { \"batchId\", \"kind\", \"rows\": [ … ] }");
                    phase = Phase.Envelope;
                    break;
                case Phase.Envelope when reader.TokenType == JsonTokenType.EndObject:
                    phase = Phase.End;
                    break;
                case Phase.Envelope:
                    var name = reader.GetString()!;
                    if (!reader.Read())
                    {
                        reader = checkpoint;
                        incomplete = true;
                        break;
                    }
                    if (!seen.Add(name)) throw new ImportFormatException("invalidJson", $"'{name}' is given twice");
                    switch (name)
                    {
                        case "batchId" or "kind" when reader.TokenType == JsonTokenType.String:
                            items.Add(new ImportItem.Field(name, reader.GetString()!));
                            break;
                        case "batchId" or "kind":
                            throw new ImportFormatException("invalidJson", $"'{name}' is a string");
                        case "rows" when reader.TokenType == JsonTokenType.StartArray:
                            phase = Phase.Rows;
                            break;
                        case "rows":
                            throw new ImportFormatException("invalidJson", "'rows' is an array");
                        default:
                            throw new ImportFormatException("invalidJson", $"'{name}' is not a field of an import (batchId, kind, rows)");
                    }
                    break;
                case Phase.Rows when reader.TokenType == JsonTokenType.EndArray:
                    phase = Phase.Envelope;
                    break;
                case Phase.Rows:
                    var start = reader.TokenStartIndex;
                    if (!reader.TrySkip())
                    {
                        reader = checkpoint;
                        incomplete = true;
                        break;
                    }
                    items.Add(new ImportItem.Row(buffer.Slice(start, reader.BytesConsumed - start).ToArray()));
                    break;
                case Phase.End:
                    throw new ImportFormatException("invalidJson", "nothing may follow the JSON object");
            }
        }
        state = reader.CurrentState;
        return reader.BytesConsumed;
    }

    /// <summary>The rows of a CSV body as JSON objects of <typeparamref name="TRow"/>'s fields: the header row names them
    /// (<c>location.lat</c> for a nested field), a list is written with <c>;</c> between its items, and an empty cell is
    /// a field not given. A header naming an unknown field refuses the whole body, before any row.</summary>
    public static async IAsyncEnumerable<ImportItem> ReadCsvAsync<TRow>(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var text = new StreamReader(body, Encoding.UTF8);
        var options = new CsvDataReaderOptions { HasHeaders = true, Delimiter = ',', MaxBufferSize = MaxRowBytes };
        CsvDataReader csv;
        try
        {
            csv = await CsvDataReader.CreateAsync(text, options, cancellationToken);
        }
        catch (Exception e) when (e is CsvFormatException or CsvMissingHeadersException or CsvRecordTooLargeException)
        {
            throw new ImportFormatException("invalidCsv", $"the header row is not CSV: {e.Message}");
        }
        await using var _ = csv;
        var header = Enumerable.Range(0, csv.FieldCount).Select(csv.GetName).ToList();
        if (header.Count == 0 || header.All(string.IsNullOrEmpty)) throw new ImportFormatException("invalidCsv", "the body has no header row");
        var columns = header.Select(name => CsvColumn.Find(typeof(TRow), name)
            ?? throw new ImportFormatException("unknownColumn", $"'{name}' is not a field of this kind of row")).ToList();
        if (header.Distinct(StringComparer.Ordinal).Count() != header.Count)
            throw new ImportFormatException("unknownColumn", "a column is named twice");
        var row = 0;
        while (true)
        {
            string[] cells;
            try
            {
                if (!await csv.ReadAsync(cancellationToken)) yield break;
                row++;
                cells = [.. Enumerable.Range(0, csv.RowFieldCount).Select(csv.GetString)];
            }
            catch (Exception e) when (e is CsvFormatException or CsvRecordTooLargeException)
            {
                throw new ImportFormatException("invalidCsv", $"row {row} is not CSV: {e.Message}");
            }
            yield return cells.Length == columns.Count
                ? new ImportItem.Row(CsvColumn.ToJson(columns, cells))
                : new ImportItem.Row([], $"it has {cells.Length} cells where the header names {columns.Count}");
        }
    }

    /// <summary>A CSV column: the path of the JSON field it fills and that field's type.</summary>
    private sealed record CsvColumn(string[] Path, Type Type)
    {
        public static CsvColumn? Find(Type row, string name)
        {
            var path = name.Split('.');
            var type = row;
            foreach (var part in path)
            {
                var property = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .FirstOrDefault(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) == part);
                if (property is null) return null;
                type = property.PropertyType;
            }
            return Scalar(type) ? new CsvColumn(path, type) : null;
        }

        private static bool Scalar(Type type)
        {
            var t = Nullable.GetUnderlyingType(type) ?? type;
            return t == typeof(string) || t == typeof(int) || t == typeof(double) || t == typeof(bool) || t == typeof(IReadOnlyList<string>);
        }

        /// <summary>The row as JSON. A cell that is not a number where one is wanted stays a string, which the strict
        /// reading of the row then refuses, as it refuses a number sent as a string in JSON.</summary>
        public static byte[] ToJson(IReadOnlyList<CsvColumn> columns, string[] cells)
        {
            var row = new JsonObject();
            for (var i = 0; i < columns.Count; i++)
            {
                var cell = cells[i];
                if (cell.Length == 0) continue;
                var (path, type) = (columns[i].Path, Nullable.GetUnderlyingType(columns[i].Type) ?? columns[i].Type);
                var parent = row;
                foreach (var part in path[..^1])
                    parent = parent[part] as JsonObject ?? (JsonObject)(parent[part] = new JsonObject());
                parent[path[^1]] = type == typeof(int) && int.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n)
                    : type == typeof(double) && double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d)
                    : type == typeof(bool) && cell is "true" or "false" ? JsonValue.Create(cell == "true")
                    : type == typeof(IReadOnlyList<string>) ? new JsonArray([.. cell.Split(';').Select(item => (JsonNode?)JsonValue.Create(item.Trim()))])
                    : JsonValue.Create(cell);
            }
            return JsonSerializer.SerializeToUtf8Bytes(row);
        }
    }
}
