using System.Text.Json;
using System.Text.Json.Serialization;

namespace Routing.Grains.History;

/// <summary>The kinds of stock operation records.</summary>
public static class OperationKinds
{
    public const string Transfer = "transfer";
    public const string Return = "return";
    public const string Snapshot = "stockSnapshot";
    public const string Stocktake = "stocktake";
    public const string Import = "import";
}

/// <summary>One stock operation's record (a transfer, a return): its whole view as JSON (<see cref="Body"/>), the grain's
/// state and what the lists show, with the columns they filter on. The record is the operation's truth: there is no
/// second copy to repair after a crash.</summary>
public sealed record OperationRecord(
    string Kind,
    string Id,
    string Status,
    IReadOnlyList<string> DistributorIds,
    string? OrderId,
    string? CustomerId,
    DateTimeOffset CreatedAt,
    string Body);

/// <summary>Filters of an operation list; null means "any". Page numbers start at 1; newest first.</summary>
public sealed record OperationSearch(
    string Kind,
    string? DistributorId = null,
    string? OrderId = null,
    string? CustomerId = null,
    string? Status = null,
    int Page = 1,
    int PageSize = 50);

/// <summary>Where stock operation records are kept (PostgreSQL, or this process's memory), each written with an
/// optimistic version check so a stale activation's write fails alone.</summary>
public interface IOperationStore
{
    /// <summary>The record's version and body, or (null, null) when there is none.</summary>
    Task<(int? Version, string? Body)> ReadAsync(string kind, string id);

    /// <summary>Writes the record if it is still at <paramref name="expectedVersion"/> (null: it must not exist yet).
    /// Answers its new version once durable, or null when the check failed.</summary>
    Task<int?> WriteAsync(OperationRecord record, int? expectedVersion);

    /// <summary>The bodies of the records matching every filter, newest first, one page.</summary>
    Task<HistoryPage<string>> FindAsync(OperationSearch search);
}

/// <summary>How an operation's view is kept in its record's body: the API's JSON shape.</summary>
public static class OperationJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string Write<T>(T view) => JsonSerializer.Serialize(view, Options);

    public static T Read<T>(string body) => JsonSerializer.Deserialize<T>(body, Options)
        ?? throw new InvalidOperationException($"an empty {typeof(T).Name} record");
}
