using System.Collections.Immutable;
using Converge.Core.Clock;

namespace Converge.Core.State;

/// <summary>
/// A last-writer-wins element set: every element ever added or removed, by key, and the stamp of the latest
/// write that replaced the whole set. An element is present when its latest add is newer than its latest remove
/// and no older than the latest replacement.
/// </summary>
/// <param name="Elements">The elements by key (see <see cref="Merge.ValueKeys"/>), in ordinal order.</param>
/// <param name="Cleared">The stamp of the latest create or update that replaced the set; <see cref="HybridTimestamp.MinValue"/> if none.</param>
public sealed record SetState(ImmutableSortedDictionary<string, SetElement> Elements, HybridTimestamp Cleared) : FieldState
{
    /// <summary>A set that never held anything.</summary>
    public static SetState Empty { get; } = new(ImmutableSortedDictionary.Create<string, SetElement>(StringComparer.Ordinal), HybridTimestamp.MinValue);

    /// <summary>True when the element is in the set.</summary>
    public bool Contains(SetElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        return element.Added > element.Removed && element.Added >= Cleared;
    }

    /// <summary>The present elements, in key order.</summary>
    public IEnumerable<SetElement> Present => Elements.Values.Where(Contains);
}
