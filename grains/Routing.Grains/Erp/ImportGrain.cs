using Routing.Contracts;
using Routing.Contracts.Catalog;
using Routing.Contracts.Customers;
using Routing.Contracts.Distributors;
using Routing.Contracts.Erp;
using Routing.Grains.History;

namespace Routing.Grains.Erp;

/// <summary>An import's record body: its view and the number of the next row to apply.</summary>
public sealed record ImportRecord(ImportView View, int NextRow)
{
    /// <summary>The view a stored record body holds (for the list of imports).</summary>
    public static ImportView ViewOf(string body) => OperationJson.Read<ImportRecord>(body).View;
}

/// <summary>One SAP import (its key is the batch id). Rows arrive in chunks, in order; each chunk is applied through the
/// grains that own the data and the record is saved after it, with the number of the next row to do, so a batch sent
/// again after a break skips what was done and a completed one is answered without being read again. Rows are applied
/// as upserts and absolute stock levels, so a chunk applied but not yet saved when the silo stopped applies again as
/// unchanged.</summary>
public sealed class ImportGrain(IOperationStore store, TimeProvider clock) : Grain, IImportGrain
{
    private int? _version;
    private ImportRecord? _stored;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (version, body) = await store.ReadAsync(OperationKinds.Import, Id);
        (_version, _stored) = (version, body is null ? null : OperationJson.Read<ImportRecord>(body));
    }

    public Task<ImportView?> GetAsync() => Task.FromResult(_stored?.View);

    public async Task<ImportView?> BeginAsync(ImportKind kind, string format)
    {
        if (_stored is { } existing)
        {
            if (existing.View.Kind != kind) return null;
            if (existing.View.Status == ImportStatus.Failed)
                await SaveAsync(existing with { View = existing.View with { Status = ImportStatus.Running, Failure = null, Format = format } });
            return _stored!.View;
        }
        var view = new ImportView(Id, kind, format, ImportStatus.Running, 0, 0, 0, 0, [], clock.GetUtcNow(), null, null);
        await SaveAsync(new ImportRecord(view, 1));
        return view;
    }

    public async Task<ImportView> ApplyAsync(int firstRow, int count, IReadOnlyList<ImportRow> rows, IReadOnlyList<ImportRejection> refused)
    {
        var stored = Current();
        var end = firstRow + count;
        if (stored.View.Status == ImportStatus.Completed || end <= stored.NextRow) return stored.View;
        if (firstRow > stored.NextRow)
            throw new InvalidOperationException($"import {Id}: rows {stored.NextRow}–{firstRow - 1} were never sent");
        this.DelayDeactivation(TimeSpan.FromMinutes(10));

        var todo = rows.Where(r => r.Row >= stored.NextRow).ToList();
        var rejected = refused.Where(r => r.Row >= stored.NextRow).ToList();
        var (applied, unchanged) = (0, 0);
        foreach (var (row, outcome) in await ApplyRowsAsync(stored.View.Kind, todo))
        {
            switch (outcome)
            {
                case null: applied++; break;
                case { Code: "unchanged" }: unchanged++; break;
                default: rejected.Add(new ImportRejection(row, outcome.Code, outcome.Detail)); break;
            }
        }
        var view = stored.View;
        var listed = view.Rejected.Count >= ImportView.MaxListed ? view.Rejected
            : [.. view.Rejected, .. rejected.OrderBy(r => r.Row).Take(ImportView.MaxListed - view.Rejected.Count)];
        await SaveAsync(new ImportRecord(view with
        {
            Total = Math.Max(view.Total, end - 1),
            Applied = view.Applied + applied,
            Unchanged = view.Unchanged + unchanged,
            RejectedCount = view.RejectedCount + rejected.Count,
            Rejected = listed,
        }, end));
        return _stored!.View;
    }

    public async Task<ImportView> CompleteAsync(int total)
    {
        var stored = Current();
        if (stored.View.Status == ImportStatus.Completed) return stored.View;
        if (stored.NextRow != total + 1) throw new InvalidOperationException($"import {Id}: {total} rows sent, {stored.NextRow - 1} done");
        await SaveAsync(stored with { View = stored.View with { Status = ImportStatus.Completed, Total = total, CompletedAt = clock.GetUtcNow() } });
        return _stored!.View;
    }

    public async Task<ImportView> FailAsync(string reason)
    {
        var stored = Current();
        if (stored.View.Status != ImportStatus.Running) return stored.View;
        await SaveAsync(stored with { View = stored.View with { Status = ImportStatus.Failed, Failure = reason } });
        return _stored!.View;
    }

    private ImportRecord Current() => _stored ?? throw new InvalidOperationException($"import {Id} was not begun");

    /// <summary>A rejection's code and detail; "unchanged" for a row that changed nothing; null when applied.</summary>
    private sealed record Outcome(string Code, string Detail);

    private static readonly Outcome Same = new("unchanged", "");

    private static Outcome? Of(UpsertResult result) => result switch
    {
        UpsertResult.Created or UpsertResult.Updated => null,
        UpsertResult.Unchanged => Same,
        UpsertResult.Conflict => new Outcome("conflict", "the existing record cannot be changed that way"),
    };

    private async Task<IReadOnlyList<(int Row, Outcome? Outcome)>> ApplyRowsAsync(ImportKind kind, IReadOnlyList<ImportRow> rows) => kind switch
    {
        ImportKind.Products => await ProductsAsync(rows),
        ImportKind.Distributors => await PerKeyAsync(rows, r => r.Distributor!.Id,
            async r => Of(await GrainFactory.GetGrain<IDistributorGrain>(r.Distributor!.Id).UpsertProfileAsync(r.Distributor))),
        ImportKind.Customers => await CustomersAsync(rows),
        ImportKind.Stock => await StockAsync(rows),
    };

    private async Task<IReadOnlyList<(int, Outcome?)>> ProductsAsync(IReadOnlyList<ImportRow> rows)
    {
        if (rows.Count == 0) return [];
        var results = await GrainFactory.GetGrain<IProductCatalogGrain>(0).UpsertManyAsync([.. rows.Select(r => r.Product!)]);
        return [.. rows.Select((r, i) => (r.Row, Of(results[i])))];
    }

    private async Task<IReadOnlyList<(int, Outcome?)>> CustomersAsync(IReadOnlyList<ImportRow> rows)
    {
        var homes = rows.Select(r => r.Customer!.HomeDistributorId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var known = await KnownDistributorsAsync(homes);
        return await PerKeyAsync(rows, r => r.Customer!.Id, async r =>
            r.Customer!.HomeDistributorId is { } home && !known.Contains(home)
                ? new Outcome("unknownDistributor", $"home distributor '{home}' does not exist")
                : Of(await GrainFactory.GetGrain<ICustomerGrain>(r.Customer.Id).UpsertAsync(r.Customer)));
    }

    /// <summary>Stock levels go to each distributor in one call per chunk (one turn, one write there).</summary>
    private async Task<IReadOnlyList<(int, Outcome?)>> StockAsync(IReadOnlyList<ImportRow> rows)
    {
        var catalog = GrainFactory.GetGrain<IProductCatalogGrain>(0);
        var skus = rows.Select(r => r.Stock!.Sku).Distinct(StringComparer.Ordinal).ToList();
        var products = await Task.WhenAll(skus.Select(catalog.GetAsync));
        var knownSkus = products.OfType<Product>().Select(p => p.Sku).ToHashSet(StringComparer.Ordinal);
        var parts = await Task.WhenAll(rows.Where(r => knownSkus.Contains(r.Stock!.Sku))
            .GroupBy(r => r.Stock!.DistributorId, StringComparer.Ordinal)
            .Select(async part =>
            {
                var lines = part.ToList();
                var outcomes = await GrainFactory.GetGrain<IDistributorGrain>(part.Key).SetStockLevelsAsync([.. lines.Select(l => l.Stock!)]);
                return lines.Select((l, i) => (l.Row, outcomes is null
                    ? new Outcome("unknownDistributor", $"distributor '{part.Key}' does not exist")
                    : outcomes[i] switch
                    {
                        StockLevelOutcome.Applied => null,
                        StockLevelOutcome.Unchanged => Same,
                        StockLevelOutcome.BelowReserved => new Outcome("belowReserved",
                            $"on hand cannot be set to {l.Stock!.OnHand}: more units are reserved for open orders"),
                    }));
            }));
        var unknown = rows.Where(r => !knownSkus.Contains(r.Stock!.Sku))
            .Select(r => (r.Row, (Outcome?)new Outcome("unknownProduct", $"product '{r.Stock!.Sku}' does not exist")));
        return [.. parts.SelectMany(p => p).Concat(unknown)];
    }

    private async Task<HashSet<string>> KnownDistributorsAsync(IReadOnlyList<string> ids)
    {
        var profiles = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IDistributorGrain>(id).GetProfileAsync()));
        return profiles.OfType<DistributorProfile>().Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Rows of different keys go in parallel (each to its own grain); rows of one key in their order, so the last wins.</summary>
    private static async Task<IReadOnlyList<(int, Outcome?)>> PerKeyAsync(IReadOnlyList<ImportRow> rows, Func<ImportRow, string> key,
        Func<ImportRow, Task<Outcome?>> apply)
    {
        var parts = await Task.WhenAll(rows.GroupBy(key, StringComparer.Ordinal).Select(async part =>
        {
            var done = new List<(int, Outcome?)>();
            foreach (var row in part) done.Add((row.Row, await apply(row)));
            return done;
        }));
        return [.. parts.SelectMany(p => p)];
    }

    private async Task SaveAsync(ImportRecord stored)
    {
        var record = new OperationRecord(OperationKinds.Import, Id, stored.View.Status.ToString(), [], null, null, stored.View.ReceivedAt,
            OperationJson.Write(stored));
        _version = await store.WriteAsync(record, _version) ?? throw StockOperations.TransferGrain.Stale(Id, _version);
        _stored = stored;
    }
}
