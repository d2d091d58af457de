using Converge.Core.Merge;

namespace Converge.Core.State;

/// <summary>A record as it was (null when absent).</summary>
internal sealed record RecordImage(RecordKey Key, RecordData? Record) : JournalEntry
{
    /// <inheritdoc />
    public override void Restore(IRecordState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.SetRecord(Key, Record);
    }
}
