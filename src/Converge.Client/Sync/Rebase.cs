using Converge.Client.Lifecycle;
using Converge.Client.Storage;
using Converge.Core.Merge;
using Converge.Core.State;

namespace Converge.Client.Sync;

/// <summary>Undoes and re-applies pending actions around what comes from the server, inside the caller's transaction.</summary>
internal static class Rebase
{
    /// <summary>Undoes every pending action's latest local apply, last first: the state is then the confirmed state.</summary>
    public static void UndoAll(IRecordState state, IReadOnlyList<PendingAction> pending)
    {
        for (var i = pending.Count - 1; i >= 0; i--)
        {
            pending[i].Journal.Undo(state);
        }
    }

    /// <summary>Re-applies pending actions in order, keeping each one's new journal and its conflicts.</summary>
    /// <returns>The conflicts that are new or changed since the action was last applied.</returns>
    public static List<Conflict> ApplyAll(ReplicaDatabase database, IEnumerable<PendingAction> pending, ApplyContext context, DateTimeOffset now)
    {
        var journaling = new JournalingRecordState(database.State!);
        var fresh = new List<Conflict>();
        foreach (var action in pending)
        {
            var result = MergeEngine.Apply(journaling, action.Action, context);
            database.SetJournal(action.Seq, journaling.TakeJournal());
            if (database.ReplaceConflicts(action.Action.Id, result.Conflicts, now))
            {
                fresh.AddRange(result.Conflicts);
            }
        }

        return fresh;
    }
}
