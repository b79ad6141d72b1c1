using Routing.Contracts.Alerts;
using Routing.Contracts.Events;
using Routing.Grains.Events;
using Routing.Grains.Infrastructure;

namespace Routing.Grains.Alerts;

/// <summary>Persistent state of the alert log.</summary>
[GenerateSerializer]
public sealed class AlertLogState
{
    [Id(0)] public long NextId { get; set; } = 1;
    [Id(1)] public List<Alert> Alerts { get; set; } = [];
}

/// <summary>The alert log. Alerts are raised on crossings (not per order) and deduplicated while open,
/// so this grain sees a trickle even in a flash sale. Keeps the newest <see cref="Retained"/> alerts.</summary>
public sealed class AlertLogGrain(
    [PersistentState("alerts", StorageNames.Routing)] IPersistentState<AlertLogState> state,
    IRoutingEventPublisher events,
    TimeProvider clock) : Grain, IAlertLogGrain
{
    public const int Retained = 5000;

    private List<Alert> Alerts => state.State.Alerts;

    public async Task<Alert> RaiseAsync(AlertDraft draft)
    {
        var index = Alerts.FindLastIndex(a => a.DedupeKey == draft.DedupeKey && a.Open);
        if (index >= 0)
        {
            // A repeat of an open alert only counts; the count is informational and is stored with the next write,
            // so a storm of repeats (e.g. every order of a sold-out SKU failing) costs no I/O.
            Alerts[index] = Alerts[index] with { Occurrences = Alerts[index].Occurrences + 1, Message = draft.Message };
            return Alerts[index];
        }
        var alert = new Alert(state.State.NextId++, draft.Kind, draft.DedupeKey, draft.Message, draft.DistributorId, draft.Sku,
            draft.OrderId, draft.CampaignId, clock.GetUtcNow(), 1, null, null, null);
        Alerts.Add(alert);
        if (Alerts.Count > Retained) Alerts.RemoveRange(0, Alerts.Count - Retained);
        await state.SaveAsync(this);
        RoutingMetrics.AlertsRaised.Add(1);
        events.Publish(new AlertRaised(alert.RaisedAt, alert));
        return alert;
    }

    public async Task ClearAsync(string dedupeKey)
    {
        var index = Alerts.FindLastIndex(a => a.DedupeKey == dedupeKey && a.Open);
        if (index < 0) return;
        var cleared = Alerts[index] = Alerts[index] with { ClearedAt = clock.GetUtcNow() };
        await state.SaveAsync(this);
        events.Publish(new AlertCleared(cleared.ClearedAt!.Value, cleared));
    }

    public Task<IReadOnlyList<Alert>> ListAsync(AlertQuery query)
    {
        var result = new List<Alert>(Math.Min(query.Limit, Alerts.Count));
        for (var i = Alerts.Count - 1; i >= 0 && result.Count < query.Limit; i--)
        {
            var a = Alerts[i];
            if (query.DistributorId is not null && a.DistributorId != query.DistributorId) continue;
            if (query.OpenOnly && !a.Open) continue;
            result.Add(a);
        }
        return Task.FromResult<IReadOnlyList<Alert>>(result);
    }

    public Task<Alert?> GetAsync(long id) => Task.FromResult(Alerts.Find(a => a.Id == id));

    public async Task<Alert?> AcknowledgeAsync(long id, string by)
    {
        var index = Alerts.FindIndex(a => a.Id == id);
        if (index < 0) return null;
        if (Alerts[index].AcknowledgedAt is not null) return Alerts[index];
        Alerts[index] = Alerts[index] with { AcknowledgedBy = by, AcknowledgedAt = clock.GetUtcNow() };
        await state.SaveAsync(this);
        return Alerts[index];
    }
}
