using Converge.Client.Kernel;
using Converge.Client.Lifecycle;
using Converge.Core;
using Converge.Core.Actions;
using Converge.Core.Merge;
using Converge.Core.Protocol;
using Converge.Core.State;

namespace Converge.Client;

/// <summary>The local write path: stamp, apply, queue, in one transaction under the replica's lock.</summary>
internal sealed class LocalWriter(ReplicaKernel kernel)
{
    /// <summary>
    /// Runs write plans in order in one transaction: each sees the state the plans before it left, and each action it
    /// makes is stamped with the replica's clock, applied to the visible state and queued, with its own result (in the
    /// order made). A write the engine refuses is not queued; it is kept in the rejections and returned as such.
    /// </summary>
    public async Task<IReadOnlyList<LocalWrite>> WriteAsync(IReadOnlyList<WritePlan> plans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var written = await kernel.OpenLockedAsync(() => Write(plans), cancellationToken).ConfigureAwait(false);
        if (written.Any(w => w.Rejection is null))
        {
            kernel.WantSync();
        }

        return written;
    }

    private List<LocalWrite> Write(IReadOnlyList<WritePlan> plans)
    {
        var file = kernel.File;
        var written = new List<LocalWrite>(plans.Count);
        var changed = new List<RecordKey>();
        var now = kernel.Time.GetUtcNow();
        using (var transaction = file.Write())
        {
            var journaling = new JournalingRecordState(file.State!);
            var limits = ActionLimits.Known(file);
            var context = kernel.NewWriteContext with { Limits = limits.ToApplyLimits() };
            foreach (var make in plans.SelectMany(plan => plan(journaling)))
            {
                // The one time this action's canonical bytes are made: checked, queued, kept and pushed as these bytes.
                var envelope = ActionEnvelope.Of(make(kernel.Clock.Next()));
                var action = envelope.Action;
                var result = ShapeError(envelope, limits) is { } shape ? ApplyResult.Rejected(shape) : MergeEngine.Apply(journaling, action, context);
                if (result.Rejection is { } rejection)
                {
                    file.Rejections.Insert(envelope, rejection, now);
                }
                else
                {
                    file.Pending.Insert(envelope, journaling.TakeJournal(), now);
                    if (!result.Conflicts.IsEmpty)
                    {
                        // A new action has no conflicts stored yet: only conflicts found now need writing.
                        file.Conflicts.Replace(action.Id, result.Conflicts, now);
                    }
                }

                if (result.Status == ApplyStatus.Applied && action is RecordAction record)
                {
                    changed.Add(new RecordKey(record.Collection, record.Record));
                }

                written.Add(new LocalWrite(action.Id, (action as RecordAction)?.Record, result.Status, result.Rejection, result.Conflicts));
            }

            kernel.SaveClock();
            kernel.Reached(ReplicaTestPoint.WriteCommit);
            transaction.Commit();
        }

        kernel.Waiters.Resolve(written.Where(w => w.Rejection is not null).Select(w => new ActionState(w.ActionId, ActionStatus.Rejected, null, w.Rejection!.Code, w.Rejection.Message)));
        kernel.Changes.Queue(new ReplicaChange([.. changed.Distinct()], FromSync: false));
        return written;
    }

    /// <summary>The shape or size problem the server would refuse the whole push for (checked here, so nothing queued can block a push).</summary>
    /// <remarks>The shape is the wire form's (what the server decodes); the sizes are the envelope's bytes, the ones pushed.</remarks>
    private static Rejection? ShapeError(ActionEnvelope envelope, ServerLimits limits)
    {
        var decoded = ActionCodec.Decode(ActionCodec.Encode(envelope.Action));
        return decoded.IsOk ? ActionLimits.Check(envelope, limits) : decoded.Error;
    }
}
