using Converge.Client.Lifecycle;
using Converge.Client.Storage;
using Converge.Core;
using Converge.Core.Actions;
using Converge.Core.Clock;
using Converge.Core.Merge;
using Converge.Core.Protocol;
using Converge.Core.State;

namespace Converge.Client;

/// <summary>The local write path: stamp, apply, queue, in one transaction.</summary>
public sealed partial class Replica
{
    /// <summary>
    /// Stamps an action with the replica's clock, applies it to the visible state and queues it, all in one local
    /// transaction. A write the engine refuses is not queued; it is kept in the rejections and returned as such.
    /// </summary>
    internal async Task<LocalWrite> WriteAsync(Func<HybridTimestamp, ConvergeAction> make, CancellationToken cancellationToken) =>
        (await WritePlansAsync([_ => [make]], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>
    /// Runs write plans in order in one transaction: each sees the state the plans before it left, and each action it
    /// makes is stamped, applied and queued, with its own result (in the order made).
    /// </summary>
    internal async Task<IReadOnlyList<LocalWrite>> WritePlansAsync(IReadOnlyList<WritePlan> plans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plans);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var written = new List<(ConvergeAction Action, LocalWrite Write)>(plans.Count);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = Options.Time.GetUtcNow();
            using var transaction = Database.Write();
            var journaling = new JournalingRecordState(Database.State!);
            var limits = ActionLimits.Known(Database);
            var context = NewWriteContext with { Limits = limits.ToApplyLimits() };
            foreach (var make in plans.SelectMany(plan => plan(journaling)))
            {
                var action = make(Clock.Next());
                var result = ShapeError(action, limits) is { } shape ? ApplyResult.Rejected(shape) : MergeEngine.Apply(journaling, action, context);
                if (result.Rejection is { } rejection)
                {
                    Database.InsertRejection(action, rejection, now);
                }
                else
                {
                    Database.InsertPending(action, journaling.TakeJournal(), now);
                    if (!result.Conflicts.IsEmpty)
                    {
                        // A new action has no conflicts stored yet: only conflicts found now need writing.
                        Database.ReplaceConflicts(action.Id, result.Conflicts, now);
                    }
                }

                written.Add((action, new LocalWrite(action.Id, (action as RecordAction)?.Record, result.Status, result.Rejection, result.Conflicts)));
            }

            SaveClock();
            Fault("write:commit");
            transaction.Commit();
        }
        finally
        {
            _gate.Release();
        }

        Resolve(written.Where(w => w.Write.Rejection is not null).Select(w => new ActionState(w.Write.ActionId, ActionStatus.Rejected, null, w.Write.Rejection!.Code, w.Write.Rejection.Message)));
        var changed = written.Where(w => w.Write.Status == ApplyStatus.Applied && w.Action is RecordAction).Select(w => (RecordAction)w.Action).Select(r => new RecordKey(r.Collection, r.Record)).Distinct().ToList();
        OnChanged(new ReplicaChange(changed, FromSync: false));
        FlushChanges();
        if (written.Any(w => w.Write.Rejection is null))
        {
            WakeSync();
        }

        return [.. written.Select(w => w.Write)];
    }

    /// <summary>The shape or size problem the server would refuse the whole push for (checked here, so nothing queued can block a push).</summary>
    private static Rejection? ShapeError(ConvergeAction action, ServerLimits limits)
    {
        var decoded = ActionCodec.Decode(ActionCodec.Encode(action));
        return decoded.IsOk ? ActionLimits.Check(action, limits) : decoded.Error;
    }
}
