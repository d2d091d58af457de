using System.Text.Json;

namespace Converge.Core.Protocol;

/// <summary>
/// An action exactly as it travels (docs/protocol.md, section 3): one flat object whose members depend on the kind.
/// A logged action adds <see cref="Index"/>, <see cref="ClientId"/> and <see cref="Principal"/>, which only the server sets.
/// </summary>
/// <remarks>A transport shape with no rules of its own; <see cref="ActionCodec"/> turns it into a validated action.</remarks>
public sealed record ActionWire
{
    /// <summary>The action id, a UUIDv7.</summary>
    public string? Id { get; init; }

    /// <summary>The hybrid timestamp in its text form.</summary>
    public string? Hlc { get; init; }

    /// <summary>create, update, delete, add, remove, increment or schema.</summary>
    public string? Kind { get; init; }

    /// <summary>The record's collection (record kinds).</summary>
    public string? Collection { get; init; }

    /// <summary>The record id (record kinds).</summary>
    public string? Record { get; init; }

    /// <summary>Field values (create and update).</summary>
    public Dictionary<string, JsonElement>? Fields { get; init; }

    /// <summary>The set or counter field (add, remove, increment).</summary>
    public string? Field { get; init; }

    /// <summary>The set element (add, remove).</summary>
    public JsonElement? Value { get; init; }

    /// <summary>The amount to add (increment).</summary>
    public JsonElement? Delta { get; init; }

    /// <summary>merge, ignore or overwrite (create; merge when absent).</summary>
    public string? OnConflict { get; init; }

    /// <summary>The collections to add (schema).</summary>
    public Dictionary<string, CollectionWire>? Collections { get; init; }

    /// <summary>The log index (logged actions only; set by the server).</summary>
    public long? Index { get; init; }

    /// <summary>The client that pushed the action (logged actions only; set by the server).</summary>
    public string? ClientId { get; init; }

    /// <summary>The principal that pushed the action (logged actions only; set by the server).</summary>
    public string? Principal { get; init; }
}
