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
    internal async Task<LocalWrite> WriteAsync(Func<HybridTimestamp, ConvergeAction> make, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(make);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        LocalWrite written;
        ConvergeAction action;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = Options.Time.GetUtcNow();
            using var transaction = Database.Write();
            action = make(Clock.Next());
            var result = ShapeError(action) is { } shape ? ApplyResult.Rejected(shape) : null;
            var journaling = new JournalingRecordState(Database.State!);
            result ??= MergeEngine.Apply(journaling, action, Context);
            if (result.Rejection is { } rejection)
            {
                Database.InsertRejection(action, rejection, now);
            }
            else
            {
                Database.InsertPending(action, journaling.TakeJournal(), now);
                Database.ReplaceConflicts(action.Id, result.Conflicts, now);
            }

            SaveClock();
            Fault("write:commit");
            transaction.Commit();
            written = new LocalWrite(action.Id, (action as RecordAction)?.Record, result.Status, result.Rejection, result.Conflicts);
        }
        finally
        {
            _gate.Release();
        }

        if (written.Rejection is { } refused)
        {
            Resolve([new ActionState(written.ActionId, ActionStatus.Rejected, null, refused.Code, refused.Message)]);
            return written;
        }

        if (action is RecordAction record && written.Status == ApplyStatus.Applied)
        {
            OnChanged(new ReplicaChange([new RecordKey(record.Collection, record.Record)], FromSync: false));
            FlushChanges();
        }

        WakeSync();
        return written;
    }

    /// <summary>The shape problem the server would refuse the whole push for (checked here, so nothing queued can block a push).</summary>
    private static Rejection? ShapeError(ConvergeAction action)
    {
        var decoded = ActionCodec.Decode(ActionCodec.Encode(action));
        return decoded.IsOk ? ActionLimits.Check(action) : decoded.Error;
    }
}
