using System.Collections.Immutable;
using Converge.Core.Clock;
using Converge.Core.Merge;

namespace Converge.Core.State;

/// <summary>The full merge state of one record: owner, tombstone and the state of each field.</summary>
/// <param name="Key">The record's collection and id.</param>
/// <param name="Owner">The principal that created it, in an owned collection; null otherwise or when not yet known.</param>
/// <param name="Deleted">The stamp of the delete that tombstoned it; <see cref="HybridTimestamp.MinValue"/> while live.</param>
/// <param name="Fields">The fields' merge state by name, in ordinal order.</param>
internal sealed record RecordData(RecordKey Key, string? Owner, HybridTimestamp Deleted, ImmutableSortedDictionary<string, FieldState> Fields)
{
    /// <summary>No fields.</summary>
    public static ImmutableSortedDictionary<string, FieldState> NoFields { get; } = ImmutableSortedDictionary.Create<string, FieldState>(StringComparer.Ordinal);

    /// <summary>True once deleted. A tombstone is final.</summary>
    public bool IsDeleted => Deleted.IsValid;
}
