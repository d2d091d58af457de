using System.Collections.Immutable;

namespace Converge.Core.State;

/// <summary>A last-writer-wins element set: every element ever added or removed, by canonical JSON text.</summary>
/// <param name="Elements">The elements by the canonical JSON text of their value, in ordinal order.</param>
public sealed record SetState(ImmutableSortedDictionary<string, SetElement> Elements) : FieldState
{
    /// <summary>A set that never held anything.</summary>
    public static SetState Empty { get; } = new(ImmutableSortedDictionary.Create<string, SetElement>(StringComparer.Ordinal));
}
