using Routing.Contracts.Events;

namespace Routing.Grains.Events;

/// <summary>Collects events between flushes. Progress and stock levels are states, not news: only the latest per
/// campaign or per distributor and SKU is kept. Everything else is kept, in order.</summary>
public sealed class EventCoalescer
{
    private readonly List<RoutingEvent> _events = [];
    private readonly Dictionary<(string Kind, string Key), int> _latest = [];

    public int Count => _events.Count;

    public void Add(RoutingEvent routingEvent)
    {
        var key = routingEvent switch
        {
            CampaignProgress p => (EventNames.CampaignProgress, p.CampaignId),
            InventoryChanged i => (EventNames.InventoryChanged, $"{i.Distributor}\n{i.Sku}"),
            _ => default((string, string)?),
        };
        if (key is { } k && _latest.TryGetValue(k, out var index))
        {
            _events[index] = routingEvent;
            return;
        }
        if (key is { } newKey) _latest[newKey] = _events.Count;
        _events.Add(routingEvent);
    }

    /// <summary>Takes everything collected so far, oldest first.</summary>
    public IReadOnlyList<RoutingEvent> Drain()
    {
        var batch = _events.ToArray();
        _events.Clear();
        _latest.Clear();
        return batch;
    }
}
