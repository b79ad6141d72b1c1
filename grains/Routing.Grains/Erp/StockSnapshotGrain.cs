using Routing.Contracts.Distributors;
using Routing.Contracts.Erp;
using Routing.Grains.History;

namespace Routing.Grains.Erp;

/// <summary>One SAP stock snapshot (SAP wins). Accepted with its record saved as Running, then reconciled in the
/// background one distributor at a time (each distributor's rows in one call, idempotent there by the snapshot id), the
/// record saved after each, so progress is visible. A snapshot cut short (the silo stopped) carries on when SAP sends it
/// again (the same id and rows: the usual retry), distributors already done answering what they applied.</summary>
public sealed class StockSnapshotGrain(IOperationStore store, TimeProvider clock) : Grain, IStockSnapshotGrain
{
    /// <summary>The record's body: the view, which distributors are done, and what made the request (its time,
    /// tolerance and rows, hashed), so the same id with other rows is refused.</summary>
    private sealed record Stored(SnapshotView View, IReadOnlyList<string> Done, string Fingerprint);

    /// <summary>The view a stored record body holds (for the list of snapshots).</summary>
    public static SnapshotView ViewOf(string body) => OperationJson.Read<Stored>(body).View;

    private int? _version;
    private Stored? _stored;
    private Task? _running;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (version, body) = await store.ReadAsync(OperationKinds.Snapshot, Id);
        (_version, _stored) = (version, body is null ? null : OperationJson.Read<Stored>(body));
    }

    public Task<SnapshotView?> GetAsync() => Task.FromResult(_stored?.View);

    public async Task<SnapshotView?> StartAsync(DateTimeOffset asOf, int tolerance, IReadOnlyList<SnapshotRow> rows, string fingerprint)
    {
        if (_stored is { } existing)
        {
            if (existing.Fingerprint != fingerprint) return null;
            // Running, and not here (a restart cut it short, or a distributor call failed): carry on.
            if (existing.View.Status == SnapshotStatus.Running && _running is not { IsCompleted: false }) _running = RunAsync(rows);
            return existing.View;
        }
        var view = new SnapshotView(Id, asOf, tolerance, SnapshotStatus.Running, rows.Count, 0, 0, [], clock.GetUtcNow(), null);
        await SaveAsync(new Stored(view, [], fingerprint));
        _running = RunAsync(rows);
        return view;
    }

    /// <summary>Progress is saved at most this often (the record carries every difference so far, so saving it after
    /// each of hundreds of distributors would write it over and over); a distributor done but not yet saved answers its
    /// results again when the snapshot carries on.</summary>
    private static readonly TimeSpan SaveEvery = TimeSpan.FromSeconds(1);

    /// <summary>Reconciles each distributor not done yet, in order of id, saving progress as it goes.</summary>
    private async Task RunAsync(IReadOnlyList<SnapshotRow> rows)
    {
        this.DelayDeactivation(TimeSpan.FromMinutes(30));
        var progress = _stored!;
        var lastSaved = clock.GetUtcNow();
        foreach (var part in rows.GroupBy(r => r.DistributorId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var (view, done, _) = progress;
            if (done.Contains(part.Key)) continue;
            var lines = part.ToList();
            var result = await GrainFactory.GetGrain<IDistributorGrain>(part.Key).ReconcileAsync(Id, view.AsOf, lines, view.Tolerance);
            // A distributor Routing does not know: every row of it is a difference nothing could be applied to.
            var differences = result?.Differences
                ?? [.. lines.Select(l => new SnapshotDifference(l.DistributorId, l.Sku, 0, l.OnHand, l.OnHand, 0, false, []))];
            progress = new Stored(view with
            {
                Processed = view.Processed + lines.Count,
                Matched = view.Matched + (result?.Matched ?? 0),
                Differences = [.. view.Differences, .. differences],
            }, [.. done, part.Key], progress.Fingerprint);
            if (clock.GetUtcNow() - lastSaved < SaveEvery) continue;
            await SaveAsync(progress);
            lastSaved = clock.GetUtcNow();
        }
        await SaveAsync(progress with { View = progress.View with { Status = SnapshotStatus.Completed, CompletedAt = clock.GetUtcNow() } });
    }

    private async Task SaveAsync(Stored stored)
    {
        var record = new OperationRecord(OperationKinds.Snapshot, Id, stored.View.Status.ToString(), [], null, null, stored.View.ReceivedAt,
            OperationJson.Write(stored));
        _version = await store.WriteAsync(record, _version) ?? throw StockOperations.TransferGrain.Stale(Id, _version);
        _stored = stored;
    }
}
