namespace Routing.Contracts.Alerts;

/// <summary>The alert log (key 0): raised by grains, acknowledged by people, newest first.</summary>
public interface IAlertLogGrain : IGrainWithIntegerKey
{
    Task<Alert> RaiseAsync(AlertDraft draft);

    /// <summary>Marks the open alert with this key as cleared (the condition went away, e.g. restocked).</summary>
    Task ClearAsync(string dedupeKey);

    [ReadOnly] Task<IReadOnlyList<Alert>> ListAsync(AlertQuery query);

    [ReadOnly] Task<Alert?> GetAsync(long id);

    Task<Alert?> AcknowledgeAsync(long id, string by);
}
