using Converge.Client.Kernel;
using Converge.Client.Lifecycle;
using Converge.Client.Storage;
using Converge.Core.Merge;
using Converge.Core.State;

namespace Converge.Client.Sync;

/// <summary>Undoes and re-applies pending actions around what comes from the server, inside the caller's transaction.</summary>
internal static class Rebase
{
    /// <summary>
    /// The one choreography of every change beneath the queue: undo the pending actions (the state is then the confirmed
    /// state), run <paramref name="beneath"/> on it, and re-apply the pending actions it returns, in order.
    /// </summary>
    /// <param name="kernel">The replica; its principal at re-apply time is the context.</param>
    /// <param name="pending">The queue, with journals, as loaded in the caller's transaction.</param>
    /// <param name="beneath">Changes the confirmed state, given the queue; returns what stays queued, to re-apply.</param>
    /// <param name="undo">False only for a planted bug that skips the undo.</param>
    /// <returns>The conflicts of the re-applied actions that are new or changed since they were last applied.</returns>
    public static List<Conflict> Around(ReplicaKernel kernel, IReadOnlyList<PendingAction> pending, Func<IReadOnlyList<PendingAction>, IReadOnlyList<PendingAction>> beneath, bool undo = true)
    {
        if (undo)
        {
            UndoAll(kernel.File.State!, pending);
        }

        var remaining = beneath(pending);
        return ApplyAll(kernel.File, remaining, kernel.Context, kernel.Time.GetUtcNow());
    }

    /// <summary>Undoes every pending action's latest local apply, last first: the state is then the confirmed state.</summary>
    private static void UndoAll(IRecordState state, IReadOnlyList<PendingAction> pending)
    {
        for (var i = pending.Count - 1; i >= 0; i--)
        {
            pending[i].Journal.Undo(state);
        }
    }

    /// <summary>Re-applies pending actions in order, keeping each one's new journal and its conflicts.</summary>
    private static List<Conflict> ApplyAll(ReplicaFile file, IEnumerable<PendingAction> pending, ApplyContext context, DateTimeOffset now)
    {
        var journaling = new JournalingRecordState(file.State!);
        var fresh = new List<Conflict>();
        foreach (var action in pending)
        {
            var result = MergeEngine.Apply(journaling, action.Action, context);
            file.Pending.SetJournal(action.Seq, journaling.TakeJournal());
            if (file.Conflicts.Replace(action.Action.Id, result.Conflicts, now))
            {
                fresh.AddRange(result.Conflicts);
            }
        }

        return fresh;
    }
}
