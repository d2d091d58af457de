using System.Collections.Immutable;
using System.Text.Json;

namespace Converge.Core.Actions;

/// <summary>Sets the named fields of a record: only the fields that changed.</summary>
public sealed record UpdateAction : RecordAction
{
    /// <summary>The new values by field name, in ordinal order; a JSON null clears a field.</summary>
    public required ImmutableSortedDictionary<string, JsonElement> Fields { get; init; }

    /// <inheritdoc />
    public override ActionKind Kind => ActionKind.Update;
}
