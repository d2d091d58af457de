using System.Collections.Immutable;
using Converge.Core.Clock;

namespace Converge.Core.State;

/// <summary>
/// A last-writer-wins element set. Its elements (every element ever added or removed, by key) are stored apart from
/// the record, one by one (<see cref="Merge.IRecordState.GetElements"/>), so a write of one element never rewrites the
/// set; the record holds only this header: the stamp of the latest write that replaced the whole set, and how many
/// elements are present. An element is present when its latest add is newer than its latest remove and no older than
/// the latest replacement.
/// </summary>
/// <param name="Cleared">The stamp of the latest create or update that replaced the set; <see cref="HybridTimestamp.MinValue"/> if none.</param>
/// <param name="Count">How many elements are present (removed and replaced ones stay stored but do not count).</param>
/// <param name="Elements">
/// The elements by key (see <see cref="Merge.ValueKeys"/>), in ordinal order, when the set is materialized (for
/// views, exports and snapshots); null in the header the merge engine reads and writes.
/// </param>
internal sealed record SetState(HybridTimestamp Cleared, int Count, ImmutableSortedDictionary<string, SetElement>? Elements = null) : FieldState
{
    /// <summary>A set that never held anything.</summary>
    public static SetState Empty { get; } = new(HybridTimestamp.MinValue, 0);

    /// <summary>The header only: no elements.</summary>
    public SetState Header => Elements is null ? this : this with { Elements = null };

    /// <summary>A materialized set of these elements, its count the present ones.</summary>
    public static SetState Of(ImmutableSortedDictionary<string, SetElement> elements, HybridTimestamp cleared)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var header = new SetState(cleared, 0);
        return header with { Count = elements.Values.Count(header.Contains), Elements = elements };
    }

    /// <summary>True when the element is in the set.</summary>
    public bool Contains(SetElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        return element.Added > element.Removed && element.Added >= Cleared;
    }

    /// <summary>The present elements, in key order.</summary>
    /// <exception cref="InvalidOperationException">The set is a header, not materialized.</exception>
    public IEnumerable<SetElement> Present =>
        (Elements ?? throw new InvalidOperationException("The set is a header without its elements; materialize the record (RecordSets.Materialize) first.")).Values.Where(Contains);
}
