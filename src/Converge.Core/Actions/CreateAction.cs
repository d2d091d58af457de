using System.Collections.Immutable;
using System.Text.Json;

namespace Converge.Core.Actions;

/// <summary>Creates a record with the given fields.</summary>
public sealed record CreateAction : RecordAction
{
    /// <summary>The fields of the new record, by name, in ordinal order.</summary>
    public required ImmutableSortedDictionary<string, JsonElement> Fields { get; init; }

    /// <summary>What to do when the record already exists.</summary>
    public OnConflict OnConflict { get; init; } = OnConflict.Merge;

    /// <inheritdoc />
    public override ActionKind Kind => ActionKind.Create;
}
