using Converge.Client.Kernel;
using Converge.Client.Lifecycle;
using Converge.Client.Storage;
using Converge.Core.Actions;
using Converge.Core.Clock;
using Converge.Core.Merge;
using Converge.Core.Protocol;
using Converge.Core;

namespace Converge.Client.Sync;

/// <summary>Resolves what a push's answer (or its refusal) asks for beneath the queue, inside the caller's transaction.</summary>
internal sealed class PushResolver(ReplicaKernel kernel)
{
    /// <summary>
    /// Undoes the queue, drops the rejected actions (and, for a rejected create of a record the confirmed state does
    /// not hold, the queued actions on that record), confirms those the confirmed state already holds, re-stamps after
    /// a drift rejection, and re-applies the rest.
    /// </summary>
    public Outcome Resolve(PushResolution resolution, DateTimeOffset now)
    {
        var file = kernel.File;
        var state = file.State!;
        var rejectedStates = new List<ActionState>();
        var restamped = 0;
        var conflicts = Rebase.Around(kernel, file.Pending.Load(), pending =>
        {
            var dropped = new HashSet<Guid>();
            var failedCreates = new HashSet<RecordKey>();
            foreach (var (action, rejection) in resolution.Rejected)
            {
                Reject(action.Envelope, rejection);
                if (action.Action is CreateAction create && state.GetRecord(MergeEngine.Resolve(state, create.Collection, create.Record)) is null)
                {
                    failedCreates.Add(new RecordKey(create.Collection, create.Record));
                }
            }

            foreach (var action in pending)
            {
                if (dropped.Contains(action.Action.Id))
                {
                    continue;
                }

                if (action.Action is RecordAction record && failedCreates.Contains(new RecordKey(record.Collection, record.Record)) && action.AckedIndex is null)
                {
                    Reject(action.Envelope, new Rejection(RejectionCodes.DependencyRejected, $"It acts on record {record.Record:D}, whose create was rejected."));
                }
                else if (resolution.Behind.TryGetValue(action.Action.Id, out var index))
                {
                    file.Confirm(action.Action, index, now);
                    dropped.Add(action.Action.Id);
                }
            }

            kernel.Reached(ReplicaTestPoint.RebaseUndone);
            var remaining = pending.Where(p => !dropped.Contains(p.Action.Id)).ToList();
            restamped = resolution.Drifted.Count > 0 ? Restamp(remaining, resolution.Drifted) : 0;
            return restamped > 0 ? file.Pending.Load() : remaining;

            void Reject(ActionEnvelope envelope, Rejection rejection)
            {
                var action = envelope.Action;
                file.Pending.Remove(action.Id);
                file.Rejections.Insert(envelope, rejection, now);
                file.Conflicts.Replace(action.Id, [], now);
                rejectedStates.Add(new ActionState(action.Id, ActionStatus.Rejected, null, rejection.Code, rejection.Message));
                dropped.Add(action.Id);
            }
        });
        kernel.SaveClock();
        return new Outcome(rejectedStates, restamped, conflicts);
    }

    /// <summary>
    /// After a drift rejection: moves the clock back to the server's time and re-stamps, in order, every queued action
    /// no log can hold (never sent, or refused for drift). The floor is every stamp this replica saw, every own stamp a
    /// log holds, and every own stamp that may be in a log (sent, answer unknown): new stamps go after all of them.
    /// </summary>
    private int Restamp(List<PendingAction> remaining, HashSet<Guid> drifted)
    {
        var meta = kernel.File.Meta;
        var floor = new HybridTimestamp(Math.Max(meta.GetLong(ReplicaKeys.MaxObserved), meta.GetLong(ReplicaKeys.MaxOwnLogged)), kernel.Clock.Node);
        foreach (var action in remaining.Where(p => !drifted.Contains(p.Action.Id) && (p.Status == ActionStatus.Sent || p.AckedIndex is not null)))
        {
            floor = action.Action.Hlc > floor ? action.Action.Hlc : floor;
        }

        kernel.Clock.Rewind(floor);
        var count = 0;
        foreach (var action in remaining)
        {
            if (drifted.Contains(action.Action.Id) || (action.Status == ActionStatus.Pending && action.AckedIndex is null))
            {
                kernel.File.Pending.Restamp(action.Seq, ActionEnvelope.Of(action.Action with { Hlc = kernel.Clock.Next() }));
                count++;
            }
        }

        return count;
    }

    /// <summary>What resolving did: the actions rejected, how many were re-stamped, and the conflicts newly seen.</summary>
    public sealed record Outcome(List<ActionState> Rejected, int Restamped, List<Conflict> Conflicts)
    {
        public static Outcome None => new([], 0, []);
    }
}
