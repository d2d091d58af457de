using Converge.Core.Merge;

namespace Converge.Core.State;

/// <summary>One element of a set as it was (null when absent).</summary>
/// <param name="Key">The record.</param>
/// <param name="Field">The set field.</param>
/// <param name="ElementKey">The element's key (see <see cref="ValueKeys"/>).</param>
/// <param name="Element">The element as it was.</param>
internal sealed record ElementImage(RecordKey Key, string Field, string ElementKey, SetElement? Element) : JournalEntry
{
    /// <inheritdoc />
    public override void Restore(IRecordState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.SetElement(Key, Field, ElementKey, Element);
    }
}
