using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using OperationSearch = Routing.Grains.History.OperationSearch;
using Routing.Api.Auth;
using Routing.Api.Customers;
using Routing.Api.Distributors;
using Routing.Api.Infrastructure;
using Routing.Api.Products;
using Routing.Contracts.Erp;
using Routing.Grains.Erp;
using Routing.Grains.History;

namespace Routing.Api.Erp;

/// <summary>A stock level row of a SAP import: the body of <c>PUT /api/distributors/{id}/inventory/{sku}</c> with its two
/// path values.</summary>
public sealed record StockLevelRequest(
    [property: Required, StringLength(Limits.MaxIdLength), RegularExpression(Limits.IdPattern)] string DistributorId,
    [property: Required, StringLength(Limits.MaxIdLength), RegularExpression(Limits.IdPattern)] string Sku,
    [property: Range(0, Limits.MaxStockUnits)] int OnHand,
    [property: Range(0, Limits.MaxStockUnits)] int Threshold);

/// <summary>The JSON form of an import (for the contract: the body is read as it streams, a row at a time). Its rows are
/// the bodies the REST API takes for the kind: products as <c>POST /api/products</c>, distributors as
/// <c>POST /api/distributors</c>, customers as <c>POST /api/customers</c>, stock as <see cref="StockLevelRequest"/>.
/// <c>batchId</c> and <c>kind</c> come before <c>rows</c>, or as <c>?batchId=&amp;kind=</c>.</summary>
public sealed record ImportRequest(string BatchId, ImportKind Kind, IReadOnlyList<JsonElement> Rows);

/// <summary>SAP imports of master data and stock (主数据 / 期初库存): JSON or CSV, streamed a row at a time, each row checked by
/// the same rules as the REST API (good rows apply, bad ones are reported with their number and a code), applied through
/// the grains in chunks with progress saved, and idempotent by <c>batchId</c>.</summary>
public static class ImportEndpoints
{
    /// <summary>Rows applied and saved together.</summary>
    private const int ChunkRows = 1000;

    /// <summary>100,000 customers are about 25 MB of JSON; the body streams, so this bounds only the upload.</summary>
    private const long MaxImportBytes = 256 * 1024 * 1024;

    private static readonly Dictionary<string, ImportKind> Kinds = new(StringComparer.Ordinal)
    {
        ["products"] = ImportKind.Products,
        ["distributors"] = ImportKind.Distributors,
        ["customers"] = ImportKind.Customers,
        ["stock"] = ImportKind.Stock,
    };

    public static void MapImportEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/erp/imports").WithTags("ERP").RequireAuthorization(Roles.Payments);

        group.MapPost("/", ImportAsync)
            .WithMetadata(new RequestSizeLimitAttribute(MaxImportBytes))
            .Accepts<ImportRequest>("application/json", "text/csv")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // CSV is text whose header row names the fields of the kind's rows (location.lat for a nested one, ';' between list items).
                if (operation.RequestBody?.Content is { } content)
                    content["text/csv"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
                return Task.CompletedTask;
            })
            .WithName("importBatch")
            .WithSummary("Import a batch of products, distributors, customers or stock levels from SAP (JSON, or CSV with ?kind=&batchId=)")
            .WithDescription("The body streams: rows are checked and applied in chunks of 1,000 while it arrives, and GET /api/erp/imports/{id} shows the progress. " +
                "A row that breaks a rule is rejected alone (its number, a code, the detail); the others apply. The same batchId again is the same import: a " +
                "completed one answers as it ended, without reading the body; one cut short carries on after the rows it saved.")
            .ProducesProblem(403).ProducesProblemCodes(400, "badKind", "batchIdRequired", "invalidBatchId", "batchMismatch", "invalidJson", "invalidCsv",
                "unknownColumn", "rowTooLarge")
            .ProducesProblemCodes(415, "unsupportedMediaType").ProducesProblemCodes(422, "batchIdReused");

        group.MapGet("/", async Task<Results<Ok<List<ImportView>>, ProblemHttpResult>> (string? status, int? page, int? pageSize, HttpContext http,
            IOperationStore store) =>
        {
            if (Paging.Check(page, pageSize) is { } badPaging) return badPaging;
            if (!Orders.OrderEndpoints.TryParseStatus<ImportStatus>(status, out var statusFilter, out var badStatus)) return badStatus;
            var found = await store.FindAsync(new OperationSearch(OperationKinds.Import, Status: statusFilter?.ToString(), Page: page ?? 1,
                PageSize: pageSize ?? Paging.DefaultPageSize));
            Paging.AddHeaders(http, found.Total, found.Page, found.PageSize);
            return TypedResults.Ok(found.Items.Select(ImportRecord.ViewOf).ToList());
        })
            .WithName("listImports").WithSummary("SAP imports, newest first (?status=Running|Completed|Failed)")
            .Paged().ProducesProblem(403).ProducesProblemCodes(400, "badStatus");

        group.MapGet("/{id}", async Task<Results<Ok<ImportView>, ProblemHttpResult>> (string id, IGrainFactory grains) =>
            await grains.GetGrain<IImportGrain>(id).GetAsync() is { } view ? TypedResults.Ok(view) : Problems.NotFound($"import '{id}' does not exist"))
            .WithName("getImport").WithSummary("An import's progress: rows received, applied, unchanged and rejected (with their numbers and codes)")
            .ProducesProblem(403).ProducesProblem(404);
    }

    private static async Task<Results<Accepted<ImportView>, ProblemHttpResult>> ImportAsync(HttpRequest request, string? batchId, string? kind,
        IGrainFactory grains, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        var media = request.ContentType is { } type ? type.Split(';')[0].Trim().ToLowerInvariant() : null;
        if (media is not ("application/json" or "text/csv"))
            return Problems.Make(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "unsupportedMediaType",
                "an import is application/json or text/csv");
        if (string.IsNullOrEmpty(batchId)) batchId = null;
        if (kind is not null && !Kinds.ContainsKey(kind)) return BadKind();
        if (media == "text/csv")
        {
            if (batchId is null) return Problems.BadRequest("batchIdRequired", "a CSV import names its batch: ?batchId=");
            if (kind is null) return BadKind();
        }

        var import = new Import(grains, json.Value.SerializerOptions, media == "text/csv" ? "csv" : "json", batchId, kind is null ? null : Kinds[kind]);
        try
        {
            var items = media == "text/csv" ? CsvRowsOf(import.Kind!.Value, request.Body, cancellationToken) : ImportReader.ReadJsonAsync(request.Body, cancellationToken);
            await foreach (var item in items)
            {
                switch (item)
                {
                    case ImportItem.Field field when import.Take(field) is { } badField:
                        return badField;
                    case ImportItem.Row row:
                        if (await import.AddAsync(row) is { } refusal) return refusal;
                        if (import.Done is not null) return Accepted(import.Done);
                        break;
                }
            }
            var (view, refused) = await import.CompleteAsync();
            return refused ?? (Results<Accepted<ImportView>, ProblemHttpResult>)Accepted(view!);
        }
        catch (ImportFormatException e)
        {
            await import.FailAsync(e.Message);
            return Problems.BadRequest(e.Code, import.Started ? $"{e.Message}; the rows before it were applied: send the batch again to carry on" : e.Message);
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException or OperationCanceledException)
        {
            // The client went away (or sent less than it said): keep what was applied, marked as cut short.
            await import.FailAsync("the request ended before its body did");
            throw;
        }
    }

    private static Accepted<ImportView> Accepted(ImportView view) => TypedResults.Accepted($"/api/erp/imports/{view.ImportId}", view);

    private static ProblemHttpResult BadKind() =>
        Problems.BadRequest("badKind", $"kind is one of {string.Join(", ", Kinds.Keys)}");

    private static IAsyncEnumerable<ImportItem> CsvRowsOf(ImportKind kind, Stream body, CancellationToken cancellationToken) => kind switch
    {
        ImportKind.Products => ImportReader.ReadCsvAsync<ProductRequest>(body, cancellationToken),
        ImportKind.Distributors => ImportReader.ReadCsvAsync<DistributorRequest>(body, cancellationToken),
        ImportKind.Customers => ImportReader.ReadCsvAsync<CustomerRequest>(body, cancellationToken),
        ImportKind.Stock => ImportReader.ReadCsvAsync<StockLevelRequest>(body, cancellationToken),
    };

    /// <summary>One import request in progress: its batch, the chunk being filled, and its grain once the first row came.</summary>
    private sealed class Import(IGrainFactory grains, JsonSerializerOptions options, string format, string? batchId, ImportKind? kind)
    {
        private readonly List<ImportRow> _rows = [];
        private readonly List<ImportRejection> _refused = [];
        private IImportGrain? _grain;
        private string? _batchId = batchId;
        private int _row;
        private int _chunkStart = 1;

        public ImportKind? Kind { get; private set; } = kind;

        /// <summary>Set when the batch was already completed: it is answered as it ended, without reading on.</summary>
        public ImportView? Done { get; private set; }

        public bool Started => _grain is not null;

        /// <summary>An envelope field; given also in the query, the two must agree.</summary>
        public ProblemHttpResult? Take(ImportItem.Field field)
        {
            if (_grain is not null) return Problems.BadRequest("invalidJson", $"'{field.Name}' comes before 'rows'");
            if (field.Name == "kind")
            {
                if (!Kinds.TryGetValue(field.Value, out var given)) return BadKind();
                if (Kind is { } query && query != given) return Problems.BadRequest("batchMismatch", "kind in the body and in the query differ");
                Kind = given;
                return null;
            }
            if (_batchId is { } id && id != field.Value) return Problems.BadRequest("batchMismatch", "batchId in the body and in the query differ");
            _batchId = field.Value;
            return null;
        }

        public async Task<ProblemHttpResult?> AddAsync(ImportItem.Row row)
        {
            if (_grain is null && await StartAsync() is { } refusal) return refusal;
            if (Done is not null) return null;
            _row++;
            var (valid, refused) = row.Refused is { } why ? (null, new ImportRejection(_row, "invalidRow", why)) : ImportRows.Parse(Kind!.Value, _row, row.Json, options);
            if (valid is not null) _rows.Add(valid);
            if (refused is not null) _refused.Add(refused);
            if (_row - _chunkStart + 1 >= ChunkRows) await FlushAsync();
            return null;
        }

        public async Task<(ImportView? View, ProblemHttpResult? Refusal)> CompleteAsync()
        {
            if (_grain is null && await StartAsync() is { } refusal) return (null, refusal);
            if (Done is not null) return (Done, null);
            await FlushAsync();
            return (await _grain!.CompleteAsync(_row), null);
        }

        /// <summary>The rows read before the break are applied; the import is marked as cut short.</summary>
        public async Task FailAsync(string reason)
        {
            if (_grain is null || Done is not null) return;
            await FlushAsync();
            await _grain.FailAsync(reason);
        }

        private async Task<ProblemHttpResult?> StartAsync()
        {
            if (_batchId is null) return Problems.BadRequest("batchIdRequired", "an import names its batch: batchId (before rows), or ?batchId=");
            if (_batchId.Length > Limits.MaxIdLength || !Limits.Matches(Limits.IdPattern, _batchId))
                return Problems.BadRequest("invalidBatchId", $"batchId is 1–{Limits.MaxIdLength} letters, digits, '.', '_' or '-'");
            if (Kind is null) return BadKind();
            var grain = grains.GetGrain<IImportGrain>(_batchId);
            var view = await grain.BeginAsync(Kind.Value, format);
            if (view is null)
                return Problems.Unprocessable("batchIdReused", $"batch {_batchId} was imported before as another kind");
            _grain = grain;
            if (view.Status == ImportStatus.Completed) Done = view;
            return null;
        }

        private async Task FlushAsync()
        {
            if (_row < _chunkStart) return;
            await _grain!.ApplyAsync(_chunkStart, _row - _chunkStart + 1, [.. _rows], [.. _refused]);
            _rows.Clear();
            _refused.Clear();
            _chunkStart = _row + 1;
        }
    }
}
