using Converge.Core.Merge;

namespace Converge.Core.State;

/// <summary>The prior image of one entry of a state, taken before an action first wrote it.</summary>
internal abstract record JournalEntry
{
    /// <summary>Puts the prior image back.</summary>
    public abstract void Restore(IRecordState state);
}
