using System.Collections.Immutable;
using Converge.Client.Kernel;
using Converge.Client.Lifecycle;
using Converge.Client.Storage;
using Converge.Client.Transport;
using Converge.Core.Actions;
using Converge.Core.Errors;
using Converge.Core.Merge;
using Converge.Core.Protocol;

namespace Converge.Client.Sync;

/// <summary>Applies a pulled page beneath the pending actions, confirming this replica's own as they come back.</summary>
internal sealed class PullApplier(ReplicaKernel kernel)
{
    /// <summary>The page's actions (decoded already, with the server's bytes), checked to follow <paramref name="cursor"/> without a gap.</summary>
    /// <exception cref="ServerProtocolException">The server sent a gap.</exception>
    public static List<LoggedEnvelope> Follow(PulledPage page, long cursor)
    {
        var pulled = new List<LoggedEnvelope>(page.Actions.Count);
        foreach (var logged in page.Actions)
        {
            if (logged.Index != cursor + 1 + pulled.Count)
            {
                throw new ServerProtocolException($"The server sent indexes that do not follow the cursor {cursor} without a gap.") { Operation = "pull" };
            }

            pulled.Add(logged);
        }

        return pulled;
    }

    /// <summary>Applies the page in one transaction; a raced step when another opener of the file applied from the same cursor.</summary>
    public SyncStep Apply(List<LoggedEnvelope> pulled, long expectedCursor, bool atHead)
    {
        var file = kernel.File;
        var now = kernel.Time.GetUtcNow();
        var state = file.State!;
        using var transaction = file.Write();
        var cursor = file.Meta.GetLong(ReplicaKeys.Cursor);
        if (cursor != expectedCursor)
        {
            // Another opener of this file applied from the same cursor meanwhile: drop this pull and go again.
            return new SyncStep(SyncStep.Empty(cursor).Report with { Raced = true });
        }

        var confirmed = ImmutableArray.CreateBuilder<ActionState>();
        var conflicts = new List<Conflict>();
        var changed = new List<RecordKey>();
        var remainingCount = 0;
        if (!kernel.Plants(ReplicaBug.SkipUndo) && QueueOnTop.Fits(file, pulled, out var own))
        {
            remainingCount = OnTop(pulled, own, confirmed, changed, now);
        }
        else
        {
            conflicts.AddRange(Beneath(pulled, confirmed, changed, now, out remainingCount));
        }

        kernel.SaveClock();

        // Own actions coming back only confirm a push; others' actions make it a pull, or a merge when some of ours stay pending.
        var kind = pulled.Count == confirmed.Count ? SyncKind.PushedOnly : remainingCount > 0 ? SyncKind.Merged : SyncKind.PulledOnly;
        SyncOutcome.Write(kernel, SyncReport.NameOf(kind));
        kernel.Reached(ReplicaTestPoint.PullCommit);
        transaction.Commit();

        kernel.Waiters.Resolve(confirmed);
        kernel.Changes.Queue(new ReplicaChange(changed, FromSync: true));
        var report = new SyncReport(kind, pulled.Count, 0, confirmed.ToImmutable(), [], [.. conflicts], pulled[^1].Index, TimeSpan.Zero);
        return new SyncStep(report, Settled: atHead && remainingCount == 0, OutcomeWritten: true);
    }

    /// <summary>
    /// The page on top of the queue (<see cref="QueueOnTop"/>): others' actions applied last, this replica's own confirmed
    /// where they are (the state holds them, and their conflicts stay as found). Nothing queued is read or re-applied.
    /// </summary>
    /// <returns>1 when actions stay queued, else 0 (only whether any do counts).</returns>
    private int OnTop(List<LoggedEnvelope> pulled, HashSet<Guid> own, ImmutableArray<ActionState>.Builder confirmed, List<RecordKey> changed, DateTimeOffset now)
    {
        var file = kernel.File;
        var state = file.State!;
        kernel.Reached(ReplicaTestPoint.PullBegun);
        var maxObserved = file.Meta.GetLong(ReplicaKeys.MaxObserved);
        foreach (var logged in pulled)
        {
            var action = logged.Envelope.Action;
            kernel.Clock.Observe(action.Hlc);
            maxObserved = Math.Max(maxObserved, action.Hlc.Nanoseconds);
            if (own.Contains(action.Id))
            {
                confirmed.Add(file.Confirm(action, logged.Index, now));
            }
            else
            {
                MergeEngine.Apply(state, action, new ApplyContext(logged.Principal));
                if (kernel.Plants(ReplicaBug.ApplyPulledTwice))
                {
                    MergeEngine.Apply(state, action, new ApplyContext(logged.Principal));
                }
            }

            file.Log.Insert(logged);
            if (action is RecordAction record)
            {
                changed.Add(new RecordKey(record.Collection, record.Record));
            }
        }

        file.Meta.Set(ReplicaKeys.Cursor, pulled[^1].Index);
        file.Meta.Set(ReplicaKeys.MaxObserved, maxObserved);
        file.Meta.Set(ReplicaKeys.Bootstrapped, "1");
        var remaining = file.Pending.IsEmpty() ? 0 : 1;
        kernel.Reached(ReplicaTestPoint.PullApplied);
        return remaining;
    }

    /// <summary>The page beneath the queue: undo it all, apply the page, re-apply what stays queued.</summary>
    private List<Conflict> Beneath(List<LoggedEnvelope> pulled, ImmutableArray<ActionState>.Builder confirmed, List<RecordKey> changed, DateTimeOffset now, out int remainingCount)
    {
        var file = kernel.File;
        var state = file.State!;
        var conflicts = new List<Conflict>();
        var left = 0;
        var rebased = Rebase.Around(
            kernel,
            file.Pending.Load(),
            pending =>
            {
                kernel.Reached(pending.Count > 0 ? ReplicaTestPoint.RebaseUndone : ReplicaTestPoint.PullBegun);
                var waiting = pending.ToDictionary(p => p.Action.Id);
                var maxObserved = file.Meta.GetLong(ReplicaKeys.MaxObserved);
                foreach (var logged in pulled)
                {
                    var action = logged.Envelope.Action;
                    kernel.Clock.Observe(action.Hlc);
                    maxObserved = Math.Max(maxObserved, action.Hlc.Nanoseconds);
                    var result = MergeEngine.Apply(state, action, new ApplyContext(logged.Principal));
                    if (kernel.Plants(ReplicaBug.ApplyPulledTwice))
                    {
                        MergeEngine.Apply(state, action, new ApplyContext(logged.Principal));
                    }

                    file.Log.Insert(logged);
                    if (action is RecordAction record)
                    {
                        changed.Add(new RecordKey(record.Collection, record.Record));
                    }

                    if (waiting.Remove(action.Id))
                    {
                        confirmed.Add(file.Confirm(action, logged.Index, now));
                        if (file.Conflicts.Replace(action.Id, result.Conflicts, now))
                        {
                            conflicts.AddRange(result.Conflicts);
                        }
                    }
                }

                file.Meta.Set(ReplicaKeys.Cursor, pulled[^1].Index);
                file.Meta.Set(ReplicaKeys.MaxObserved, maxObserved);
                file.Meta.Set(ReplicaKeys.Bootstrapped, "1");
                var remaining = pending.Where(p => waiting.ContainsKey(p.Action.Id)).ToList();
                left = remaining.Count;
                kernel.Reached(remaining.Count > 0 ? ReplicaTestPoint.RebaseApplied : ReplicaTestPoint.PullApplied);
                return remaining;
            },
            undo: !kernel.Plants(ReplicaBug.SkipUndo));
        conflicts.AddRange(rebased);
        remainingCount = left;
        return conflicts;
    }
}
