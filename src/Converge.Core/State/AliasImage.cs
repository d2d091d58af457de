using Converge.Core.Merge;

namespace Converge.Core.State;

/// <summary>An alias as it was (null when absent).</summary>
internal sealed record AliasImage(RecordKey Key, Guid? Canonical) : JournalEntry
{
    /// <inheritdoc />
    public override void Restore(IRecordState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.SetAlias(Key, Canonical);
    }
}
