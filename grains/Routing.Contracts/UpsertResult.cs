namespace Routing.Contracts;

/// <summary>What an idempotent create-or-update did.</summary>
public enum UpsertResult
{
    Created,
    Updated,
    Unchanged,
    /// <summary>The id exists with different content and the resource cannot be changed that way.</summary>
    Conflict,
}
