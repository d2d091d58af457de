using Converge.Core.Merge;

namespace Converge.Core.State;

/// <summary>A unique index entry as it was (null when free).</summary>
internal sealed record UniqueImage(UniqueKey Key, Guid? Record) : JournalEntry
{
    /// <inheritdoc />
    public override void Restore(IRecordState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.SetUnique(Key, Record);
    }
}
