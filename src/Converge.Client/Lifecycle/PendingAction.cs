using Converge.Core.Actions;
using Converge.Core.Protocol;
using Converge.Core.State;

namespace Converge.Client.Lifecycle;

/// <summary>A row of the pending queue.</summary>
/// <param name="Seq">Its place in the order of writing.</param>
/// <param name="Envelope">The action with the canonical bytes the queue holds: what a push sends, as they are.</param>
/// <param name="Status">Pending or sent.</param>
/// <param name="AckedIndex">The index the server gave it, when acknowledged.</param>
/// <param name="Journal">How to undo its latest local apply.</param>
internal sealed record PendingAction(long Seq, ActionEnvelope Envelope, ActionStatus Status, long? AckedIndex, UndoJournal Journal)
{
    /// <summary>The action.</summary>
    public ConvergeAction Action => Envelope.Action;
}
