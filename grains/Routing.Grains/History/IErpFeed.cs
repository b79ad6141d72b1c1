namespace Routing.Grains.History;

/// <summary>The outbound ERP feed: every order and stock change SAP needs (<see cref="ErpFeedRules"/>), in one order
/// that never changes once read. The events are written with the changes themselves (the order journal's record
/// writes and the ledger's appends), so an event exists exactly when its change is durable, and a retried write emits
/// nothing twice. The API reads it; the silo host decides what backs it (PostgreSQL or memory).</summary>
public interface IErpFeed
{
    /// <summary>Up to <paramref name="limit"/> events after <paramref name="after"/> (<see cref="ErpCursor.Start"/>: from
    /// the first), in feed order. Once a page is answered, no event can appear before its last one: the same cursor
    /// always answers the same events.</summary>
    Task<IReadOnlyList<ErpEvent>> ReadAsync(ErpCursor after, int limit);
}
