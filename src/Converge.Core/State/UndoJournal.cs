using System.Collections.Immutable;
using Converge.Core.Merge;

namespace Converge.Core.State;

/// <summary>What one applied action changed, as prior images: undoing it restores the state exactly.</summary>
/// <param name="Entries">The prior image of each entry the action wrote, in the order first written.</param>
internal sealed record UndoJournal(ImmutableArray<JournalEntry> Entries)
{
    /// <summary>A journal of an action that changed nothing.</summary>
    public static UndoJournal Empty { get; } = new([]);

    /// <summary>Restores every prior image, last first.</summary>
    /// <remarks>Journals of several actions must be undone in the reverse of the order the actions were applied.</remarks>
    public void Undo(IRecordState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        for (var i = Entries.Length - 1; i >= 0; i--)
        {
            Entries[i].Restore(state);
        }
    }
}
