using System.Collections.Immutable;
using Converge.Client.Kernel;
using Converge.Client.Lifecycle;
using Converge.Client.Storage;
using Converge.Client.Transport;
using Converge.Core.Actions;
using Converge.Core.Errors;
using Converge.Core.Protocol;
using Converge.Core;

namespace Converge.Client.Sync;

/// <summary>The push half of a step: take a batch, send it outside the lock, resolve the server's answer in one transaction.</summary>
internal sealed class Pusher(ReplicaKernel kernel)
{
    private readonly PushResolver _resolver = new(kernel);

    private ReplicaFile File => kernel.File;

    /// <summary>
    /// Pushes the next batch of at most <see cref="PushOptions.BatchSize"/> actions (or only those sent before whose answer was
    /// lost). A refusal of the whole push that names no action halves the batch and tries again; the step then says
    /// which size the server taught.
    /// </summary>
    public async Task<SyncStep> PushAsync(ISyncTransport transport, PushOptions push, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var batchSize = push.BatchSize;
        int? taught = null;
        while (true)
        {
            var batch = await kernel.LockedAsync(() => TakeBatch(push.SentOnly, batchSize), cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return SyncStep.Empty(push.Cursor) with { PushBatch = taught };
            }

            progress?.Report(new SyncProgress(SyncPhase.Pushing, 0, batch.Count));
            Exchange<PushResponse> answer;
            try
            {
                // The queue's stored bytes go into the body as they are (through a custom transport, as its PushRequest).
                answer = await transport.PushEnvelopesAsync(kernel.ClientId, [.. batch.Select(p => p.Envelope)], cancellationToken).ConfigureAwait(false);
            }
            catch (ServerRefusedException e) when (e.StatusCode is 400 or 413 && e.Code != ProblemCodes.InvalidBody)
            {
                // (invalid_body: the bytes broke on the way, not the push; it goes up as a failure and is retried as sent.)
                // Refused as a whole: the server applied nothing, so nothing of the batch is in a log.
                var culprit = e.ActionIndex is { } at && at >= 0 && at < batch.Count ? batch[at] : batch.Count == 1 ? batch[0] : null;
                if (culprit is null)
                {
                    // No action named (too large, too deep, too many): try again with half as many, and keep the smaller size.
                    await kernel.LockedAsync(() => Unsend(batch), cancellationToken).ConfigureAwait(false);
                    batchSize = Math.Max(1, batch.Count / 2);
                    taught = batchSize;
                    continue;
                }

                return await kernel.LockedAsync(() => RefuseOne(culprit, batch, e), cancellationToken).ConfigureAwait(false) with { PushBatch = taught };
            }

            kernel.LearnServerTime(answer.ServerTime, answer.SentAt, answer.ReceivedAt);
            var results = answer.Value.Results;
            if (results.Count != batch.Count || results.Where((r, i) => r.Id != batch[i].Action.Id.ToString("D")).Any())
            {
                throw new ServerProtocolException($"The server answered {results.Count} results that do not match the {batch.Count} actions pushed.") { Operation = "push" };
            }

            return await kernel.LockedAsync(() => Resolve(batch, answer.Value), cancellationToken).ConfigureAwait(false) with { PushBatch = taught };
        }
    }

    /// <summary>
    /// The next pending actions to push (or only those sent before whose answer was lost), marked sent first with a
    /// commit that survives a power loss, so an action that may reach a log is never re-stamped.
    /// </summary>
    private List<PendingAction> TakeBatch(bool sentOnly, int batchSize)
    {
        var batch = File.Pending.Load(sentOnly ? int.MaxValue : batchSize, withJournals: false);
        if (sentOnly)
        {
            batch = [.. batch.Where(p => p.Status == ActionStatus.Sent && p.AckedIndex is null).Take(batchSize)];
        }

        var unsent = batch.Where(p => p.Status == ActionStatus.Pending).ToList();
        if (unsent.Count > 0)
        {
            File.SyncNextCommit(full: true);
            try
            {
                using var transaction = File.Write();
                unsent.ForEach(p => File.Pending.MarkSent(p.Action.Id));
                transaction.Commit();
            }
            finally
            {
                File.SyncNextCommit(full: false);
            }
        }

        return batch;
    }

    private bool Unsend(List<PendingAction> batch)
    {
        using var transaction = File.Write();
        batch.ForEach(p => File.Pending.MarkUnsent(p.Action.Id));
        transaction.Commit();
        return true;
    }

    /// <summary>Resolves a push's results: acknowledged, rejected (with dependents), or stamped too far ahead.</summary>
    private SyncStep Resolve(List<PendingAction> batch, PushResponse response)
    {
        var now = kernel.Time.GetUtcNow();
        using var transaction = File.Write();
        var cursor = File.Meta.GetLong(ReplicaKeys.Cursor);
        var principalBefore = File.Meta.Get(ReplicaKeys.Principal);
        if (response.Principal is { Length: > 0 } principal && principal != principalBefore)
        {
            File.Meta.Set(ReplicaKeys.Principal, principal);
        }

        var accepted = ImmutableArray.CreateBuilder<ActionState>();
        var rejected = new List<(PendingAction Action, Rejection Rejection)>();
        var drifted = new HashSet<Guid>();
        for (var i = 0; i < batch.Count; i++)
        {
            var result = response.Results[i];
            var action = batch[i];
            if (result.Status is PushStatus.Accepted or PushStatus.Duplicate)
            {
                var index = result.Index ?? throw new ServerProtocolException($"The server accepted action {result.Id} without an index.") { Operation = "push" };
                File.Pending.MarkAcknowledged(action.Action.Id, index);
                accepted.Add(new ActionState(action.Action.Id, ActionStatus.Sent, index));
            }
            else if (result.Code == RejectionCodes.ClockDrift)
            {
                drifted.Add(action.Action.Id);
            }
            else
            {
                rejected.Add((action, new Rejection(result.Code ?? RejectionCodes.InvalidAction, result.Message ?? "Rejected by the server.")));
            }
        }

        var principalChanged = File.Meta.Get(ReplicaKeys.Principal) != principalBefore;
        var queue = File.Pending.Load(batch.Count, withJournals: false);
        var inPlace = accepted.Count == batch.Count
            && accepted.Select((a, i) => a.Index == cursor + 1 + i).All(ok => ok)
            && queue.Select(p => p.Action.Id).SequenceEqual(batch.Select(p => p.Action.Id));
        if (inPlace && !principalChanged)
        {
            // Nobody else wrote in between, and these are the oldest pending actions: the state already is the
            // server's plus the rest of the queue. Confirm them where they are, with no undo.
            var confirmed = ConfirmInPlace(batch, accepted, now);
            var empty = File.Pending.IsEmpty();
            SyncOutcome.Write(kernel, SyncReport.NameOf(SyncKind.PushedOnly));
            transaction.Commit();

            // In place means the server's head was this push's last index: with nothing queued, nothing is left to do.
            kernel.Waiters.Resolve(confirmed);
            return new SyncStep(new SyncReport(SyncKind.PushedOnly, 0, batch.Count, confirmed, [], [], cursor + batch.Count, TimeSpan.Zero), Settled: empty, OutcomeWritten: true);
        }

        kernel.Reached(ReplicaTestPoint.PushAnswered);
        var behind = accepted.Where(a => a.Index <= cursor).ToDictionary(a => a.ActionId, a => a.Index!.Value);
        var resolved = rejected.Count > 0 || drifted.Count > 0 || behind.Count > 0 || principalChanged
            ? _resolver.Resolve(new PushResolution(rejected, drifted, behind), now)
            : PushResolver.Outcome.None;
        SyncOutcome.Write(kernel, SyncReport.NameOf(SyncKind.PushedOnly));
        kernel.Reached(ReplicaTestPoint.PushCommit);
        transaction.Commit();

        kernel.Waiters.Resolve(resolved.Rejected.Concat(behind.Select(b => new ActionState(b.Key, ActionStatus.Confirmed, b.Value))));
        if (resolved.Rejected.Count > 0)
        {
            kernel.Changes.Queue(new ReplicaChange([.. rejected.Select(r => r.Action.Action).OfType<RecordAction>().Select(r => new Core.Merge.RecordKey(r.Collection, r.Record))], FromSync: true));
        }

        var report = new SyncReport(SyncKind.PushedOnly, 0, batch.Count, accepted.ToImmutable(), [.. resolved.Rejected], [.. resolved.Conflicts], cursor, TimeSpan.Zero, resolved.Restamped);
        return new SyncStep(report, OutcomeWritten: true);
    }

    private ImmutableArray<ActionState> ConfirmInPlace(List<PendingAction> batch, ImmutableArray<ActionState>.Builder accepted, DateTimeOffset now)
    {
        var principal = File.Meta.Get(ReplicaKeys.Principal) ?? "";
        var confirmed = ImmutableArray.CreateBuilder<ActionState>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var envelope = batch[i].Envelope;
            var index = accepted[i].Index!.Value;
            confirmed.Add(File.Confirm(envelope.Action, index, now));
            File.Log.Insert(new LoggedEnvelope(index, kernel.ClientId, principal, envelope));
            File.Meta.Set(ReplicaKeys.Cursor, index);
        }

        return confirmed.MoveToImmutable();
    }

    /// <summary>A push the server refused as a whole because of one action: that action is rejected, the rest go back to pending.</summary>
    private SyncStep RefuseOne(PendingAction culprit, List<PendingAction> batch, ServerRefusedException refusal)
    {
        using var transaction = File.Write();
        var cursor = File.Meta.GetLong(ReplicaKeys.Cursor);
        batch.ForEach(p => File.Pending.MarkUnsent(p.Action.Id));
        var rejection = new Rejection(refusal.Code ?? RejectionCodes.InvalidAction, refusal.Message);
        var resolved = _resolver.Resolve(new PushResolution([(culprit, rejection)], [], []), kernel.Time.GetUtcNow());
        transaction.Commit();
        kernel.Waiters.Resolve(resolved.Rejected);
        return new SyncStep(new SyncReport(SyncKind.PushedOnly, 0, batch.Count, [], [.. resolved.Rejected], [.. resolved.Conflicts], cursor, TimeSpan.Zero));
    }
}
