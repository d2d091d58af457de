using System.Collections.Immutable;
using System.Diagnostics;
using Converge.Client.Lifecycle;
using Converge.Client.Storage;
using Converge.Client.Transport;
using Converge.Core;
using Converge.Core.Actions;
using Converge.Core.Merge;
using Converge.Core.Protocol;

namespace Converge.Client.Sync;

/// <summary>
/// The sync step of SPEC section 4. Network calls happen outside the replica's lock; everything a step changes
/// locally commits in one transaction, so a crash at any point leaves the previous state and the next step resumes.
/// </summary>
internal sealed class SyncEngine : IDisposable
{
    private readonly Replica _replica;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private int _pushBatch;

    public SyncEngine(Replica replica)
    {
        _replica = replica;
        _pushBatch = replica.Options.PushBatchSize;
    }

    private ReplicaDatabase Database => _replica.Database;

    private TimeProvider Time => _replica.Options.Time;

    public async Task<SyncReport> RunAsync(IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var report = await StepAsync(progress, cancellationToken).ConfigureAwait(false);
        for (var steps = 1; report.MadeProgress && steps < 100_000; steps++)
        {
            var next = await StepAsync(progress, cancellationToken).ConfigureAwait(false);
            if (!next.MadeProgress)
            {
                break;
            }

            report = report.Then(next);
        }

        _replica.OnSynced(report);
        return report;
    }

    public async Task<SyncReport> StepAsync(IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var transport = _replica.Transport ?? throw new InvalidOperationException("This replica has no server: open it with ReplicaOptions.Server and Token (or a Transport) to sync.");
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var report = await StepCoreAsync(transport, progress, cancellationToken).ConfigureAwait(false);
            report = report with { Duration = Stopwatch.GetElapsedTime(started) };
            await RecordOutcomeAsync(report.MadeProgress ? SyncReport.NameOf(report.Kind) : null, null).ConfigureAwait(false);
            progress?.Report(new SyncProgress(SyncPhase.Done, 1, 1));
            if (report.MadeProgress)
            {
                _replica.OnSynced(report);
            }

            return report;
        }
        catch (TransportException e)
        {
            await RecordOutcomeAsync(null, e.Message).ConfigureAwait(false);
            throw;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<SyncReport> StepCoreAsync(ISyncTransport transport, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var (cursor, bootstrapped) = await LockedAsync(() => (Database.GetLong(ReplicaKeys.Cursor), Database.Get(ReplicaKeys.Bootstrapped) is not null), cancellationToken).ConfigureAwait(false);
        if (!bootstrapped && cursor == 0)
        {
            var loaded = await new Bootstrapper(_replica).RunAsync(transport, progress, cancellationToken).ConfigureAwait(false);
            if (loaded is not null)
            {
                return loaded;
            }
        }

        progress?.Report(new SyncProgress(SyncPhase.Pulling, 0, null));
        var pull = await transport.PullAsync(cursor, _replica.Options.PullBatchSize, cancellationToken).ConfigureAwait(false);
        Learn(pull.ServerTime, pull.SentAt, pull.ReceivedAt);
        if (pull.Value.Status != PullStatus.Ok)
        {
            return await new Bootstrapper(_replica).RunAsync(transport, progress, cancellationToken, reset: true).ConfigureAwait(false)
                ?? throw new TransportException($"The server asked for a reload ({pull.Value.Status}) but has no snapshot to load.");
        }

        var pulled = new List<LoggedAction>(pull.Value.Response!.Actions.Count);
        foreach (var wire in pull.Value.Response.Actions)
        {
            var decoded = ActionCodec.DecodeLogged(wire);
            if (!decoded.IsOk)
            {
                throw new TransportException($"The server sent an action this client cannot read: {decoded.Error.Message}");
            }

            pulled.Add(decoded.Value);
        }

        if (pulled.Count > 0)
        {
            if (pulled[0].Index != cursor + 1 || pulled.Select((a, i) => a.Index != cursor + 1 + i).Any(gap => gap))
            {
                throw new TransportException($"The server sent indexes that do not follow the cursor {cursor} without a gap.");
            }

            progress?.Report(new SyncProgress(SyncPhase.Applying, 0, pulled.Count));
            return await LockedAsync(() => ApplyPulled(pulled), cancellationToken).ConfigureAwait(false);
        }

        while (true)
        {
            var batch = await LockedAsync(TakePushBatch, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return Empty(cursor);
            }

            progress?.Report(new SyncProgress(SyncPhase.Pushing, 0, batch.Count));
            Exchange<PushResponse> push;
            try
            {
                push = await transport.PushAsync(new PushRequest { ClientId = _replica.ClientId.ToString("D"), Actions = [.. batch.Select(p => ActionCodec.Encode(p.Action))] }, cancellationToken).ConfigureAwait(false);
            }
            catch (TransportException e) when (e.StatusCode is 400 or 413)
            {
                var culprit = e.ActionIndex is { } at && at < batch.Count ? batch[at] : batch.Count == 1 ? batch[0] : null;
                if (culprit is null)
                {
                    // Refused as a whole with no action named (too large, too deep): try again with half as many.
                    _pushBatch = Math.Max(1, batch.Count / 2);
                    continue;
                }

                return await LockedAsync(() => RefuseOne(culprit, batch.Count, e), cancellationToken).ConfigureAwait(false);
            }

            return await PushedAsync(batch, push, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<SyncReport> PushedAsync(List<PendingAction> batch, Exchange<PushResponse> push, CancellationToken cancellationToken)
    {
        Learn(push.ServerTime, push.SentAt, push.ReceivedAt);
        if (push.Value.Results.Count != batch.Count)
        {
            throw new TransportException($"The server answered {push.Value.Results.Count} results for {batch.Count} actions.");
        }

        _pushBatch = _replica.Options.PushBatchSize;
        return await LockedAsync(() => ApplyPushed(batch, push.Value), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies pulled actions beneath the pending ones, confirming this replica's own as they come back.</summary>
    private SyncReport ApplyPulled(List<LoggedAction> pulled)
    {
        var now = Time.GetUtcNow();
        var state = Database.State!;
        using var transaction = Database.Write();
        var pending = Database.LoadPending();
        Rebase.UndoAll(state, pending);
        var waiting = pending.ToDictionary(p => p.Action.Id);
        var confirmed = ImmutableArray.CreateBuilder<ActionState>();
        var conflicts = new List<Conflict>();
        var changed = new List<RecordKey>();
        var maxObserved = Database.GetLong(ReplicaKeys.MaxObserved);
        foreach (var logged in pulled)
        {
            _replica.Clock.Observe(logged.Action.Hlc);
            maxObserved = Math.Max(maxObserved, logged.Action.Hlc.Nanoseconds);
            var result = MergeEngine.Apply(state, logged.Action, new ApplyContext(logged.Principal));
            Database.InsertLog(logged, ActionBody.Serialize(logged.Action));
            if (logged.Action is RecordAction record)
            {
                changed.Add(new RecordKey(record.Collection, record.Record));
            }

            if (waiting.Remove(logged.Action.Id))
            {
                Database.RemovePending(logged.Action.Id);
                Database.InsertConfirmed(logged.Action.Id, logged.Index, now);
                if (Database.ReplaceConflicts(logged.Action.Id, result.Conflicts, now))
                {
                    conflicts.AddRange(result.Conflicts);
                }

                confirmed.Add(new ActionState(logged.Action.Id, ActionStatus.Confirmed, logged.Index));
            }
        }

        var cursor = pulled[^1].Index;
        Database.Set(ReplicaKeys.Cursor, cursor);
        Database.Set(ReplicaKeys.MaxObserved, maxObserved);
        Database.Set(ReplicaKeys.Bootstrapped, "1");
        var remaining = pending.Where(p => waiting.ContainsKey(p.Action.Id)).ToList();
        conflicts.AddRange(Rebase.ApplyAll(Database, remaining, _replica.Context, now));
        _replica.SaveClock();
        transaction.Commit();

        _replica.Resolve(confirmed);
        _replica.OnChanged(new ReplicaChange(changed, FromSync: true));
        // Own actions coming back only confirm a push; others' actions make it a pull, or a merge when some of ours stay pending.
        var kind = pulled.Count == confirmed.Count ? SyncKind.PushedOnly : remaining.Count > 0 ? SyncKind.Merged : SyncKind.PulledOnly;
        return new SyncReport(kind, pulled.Count, 0, confirmed.ToImmutable(), [], [.. conflicts], cursor, TimeSpan.Zero);
    }

    /// <summary>The next pending actions to push, marked sent first, so a crash after the push cannot re-stamp them.</summary>
    private List<PendingAction> TakePushBatch()
    {
        var batch = Database.LoadPending(_pushBatch, withJournals: false);
        var unsent = batch.Where(p => p.Status == ActionStatus.Pending).ToList();
        if (unsent.Count > 0)
        {
            using var transaction = Database.Write();
            unsent.ForEach(p => Database.MarkSent(p.Action.Id));
            transaction.Commit();
        }

        return batch;
    }

    /// <summary>Resolves a push's results: acknowledged, rejected (with dependents), or stamped too far ahead.</summary>
    private SyncReport ApplyPushed(List<PendingAction> batch, PushResponse response)
    {
        var now = Time.GetUtcNow();
        var cursor = Database.GetLong(ReplicaKeys.Cursor);
        var principalBefore = Database.Get(ReplicaKeys.Principal);
        using var transaction = Database.Write();
        if (response.Principal is { Length: > 0 } principal && principal != principalBefore)
        {
            Database.Set(ReplicaKeys.Principal, principal);
        }

        var accepted = ImmutableArray.CreateBuilder<ActionState>();
        var rejected = new List<(PendingAction Action, Rejection Rejection)>();
        var drifted = new HashSet<Guid>();
        for (var i = 0; i < batch.Count; i++)
        {
            var result = response.Results[i];
            var action = batch[i];
            if (result.Status is PushStatus.Accepted or PushStatus.Duplicate && result.Index is { } index)
            {
                Database.MarkAcknowledged(action.Action.Id, index);
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

        var principalChanged = Database.Get(ReplicaKeys.Principal) != principalBefore;
        var contiguous = accepted.Count == batch.Count && accepted.Select((a, i) => a.Index == cursor + 1 + i).All(ok => ok);
        if (contiguous && !principalChanged)
        {
            // Nobody else wrote in between: the state already is the server's plus the rest of the queue. Confirm in place.
            var confirmed = ConfirmInPlace(batch, accepted, now);
            transaction.Commit();
            _replica.Resolve(confirmed);
            return new SyncReport(SyncKind.PushedOnly, 0, batch.Count, confirmed, [], [], cursor + batch.Count, TimeSpan.Zero);
        }

        var behind = accepted.Where(a => a.Index <= cursor).Select(a => a.ActionId).ToHashSet();
        var resolution = new Resolution(rejected, drifted, behind);
        var (rejectedStates, restamped, conflicts) = rejected.Count > 0 || drifted.Count > 0 || behind.Count > 0 || principalChanged
            ? Resolve(resolution, now)
            : ([], 0, []);
        transaction.Commit();

        var final = rejectedStates.Concat(behind.Select(id => new ActionState(id, ActionStatus.Confirmed, accepted.First(a => a.ActionId == id).Index)));
        _replica.Resolve(final);
        if (rejectedStates.Count > 0)
        {
            _replica.OnChanged(new ReplicaChange([.. rejected.Select(r => r.Action.Action).OfType<RecordAction>().Select(r => new RecordKey(r.Collection, r.Record))], FromSync: true));
        }

        return new SyncReport(SyncKind.PushedOnly, 0, batch.Count, accepted.ToImmutable(), [.. rejectedStates], [.. conflicts], cursor, TimeSpan.Zero, restamped);
    }

    private ImmutableArray<ActionState> ConfirmInPlace(List<PendingAction> batch, ImmutableArray<ActionState>.Builder accepted, DateTimeOffset now)
    {
        var principal = Database.Get(ReplicaKeys.Principal) ?? "";
        for (var i = 0; i < batch.Count; i++)
        {
            var action = batch[i].Action;
            var index = accepted[i].Index!.Value;
            Database.RemovePending(action.Id);
            Database.InsertConfirmed(action.Id, index, now);
            Database.InsertLog(new LoggedAction(index, _replica.ClientId, principal, action), ActionBody.Serialize(action));
            Database.Set(ReplicaKeys.Cursor, index);
        }

        return [.. accepted.Select(a => a with { Status = ActionStatus.Confirmed })];
    }

    /// <summary>
    /// Undoes the queue, drops the rejected actions (and, for a rejected create, the queued actions on its record),
    /// confirms those the confirmed state already holds, re-stamps after a drift rejection, and re-applies the rest.
    /// </summary>
    private (List<ActionState> Rejected, int Restamped, List<Conflict> Conflicts) Resolve(Resolution resolution, DateTimeOffset now)
    {
        var state = Database.State!;
        var pending = Database.LoadPending();
        Rebase.UndoAll(state, pending);
        var rejectedStates = new List<ActionState>();
        var dropped = new HashSet<Guid>();
        var failedCreates = new HashSet<RecordKey>();
        foreach (var (action, rejection) in resolution.Rejected)
        {
            Reject(action.Action, rejection);
            if (action.Action is CreateAction create)
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
                Reject(action.Action, new Rejection(RejectionCodes.DependencyRejected, $"It acts on record {record.Record:D}, whose create was rejected."));
            }
            else if (resolution.Behind.Contains(action.Action.Id))
            {
                Database.RemovePending(action.Action.Id);
                Database.InsertConfirmed(action.Action.Id, action.AckedIndex!.Value, now);
                dropped.Add(action.Action.Id);
            }
        }

        var remaining = pending.Where(p => !dropped.Contains(p.Action.Id)).ToList();
        var restamped = resolution.Drifted.Count > 0 ? Restamp(remaining, resolution.Drifted) : 0;
        if (restamped > 0)
        {
            remaining = Database.LoadPending();
        }

        var conflicts = Rebase.ApplyAll(Database, remaining, _replica.Context, now);
        _replica.SaveClock();
        return (rejectedStates, restamped, conflicts);

        void Reject(ConvergeAction action, Rejection rejection)
        {
            Database.RemovePending(action.Id);
            Database.InsertRejection(action, rejection, now);
            Database.ReplaceConflicts(action.Id, [], now);
            rejectedStates.Add(new ActionState(action.Id, ActionStatus.Rejected, null, rejection.Code, rejection.Message));
            dropped.Add(action.Id);
        }
    }

    /// <summary>
    /// After a drift rejection: moves the clock back to the server's time and re-stamps, in order, every queued action
    /// no server can hold yet (never sent, or refused for drift). Sent actions keep their stamps: they may be in a log.
    /// </summary>
    private int Restamp(List<PendingAction> remaining, HashSet<Guid> drifted)
    {
        var floor = new Core.Clock.HybridTimestamp(Math.Max(Database.GetLong(ReplicaKeys.MaxObserved), 0), _replica.Clock.Node);
        foreach (var action in remaining.Where(p => !drifted.Contains(p.Action.Id) && (p.Status == ActionStatus.Sent || p.AckedIndex is not null)))
        {
            floor = action.Action.Hlc > floor ? action.Action.Hlc : floor;
        }

        _replica.Clock.Rewind(floor);
        var count = 0;
        foreach (var action in remaining)
        {
            if (drifted.Contains(action.Action.Id) || (action.Status == ActionStatus.Pending && action.AckedIndex is null))
            {
                Database.Restamp(action.Seq, action.Action with { Hlc = _replica.Clock.Next() });
                count++;
            }
        }

        return count;
    }

    /// <summary>A push the server refused as a whole because of one action: that action is rejected, the rest stay queued.</summary>
    private SyncReport RefuseOne(PendingAction culprit, int pushed, TransportException refusal)
    {
        var cursor = Database.GetLong(ReplicaKeys.Cursor);
        using var transaction = Database.Write();
        var rejection = new Rejection(refusal.Code ?? RejectionCodes.InvalidAction, refusal.Message);
        var (rejected, _, conflicts) = Resolve(new Resolution([(culprit, rejection)], [], []), Time.GetUtcNow());
        transaction.Commit();
        _replica.Resolve(rejected);
        return new SyncReport(SyncKind.PushedOnly, 0, pushed, [], [.. rejected], [.. conflicts], cursor, TimeSpan.Zero);
    }

    private void Learn(DateTimeOffset serverTime, DateTimeOffset sentAt, DateTimeOffset receivedAt) =>
        _replica.Clock.LearnServerTime(serverTime, sentAt, receivedAt);

    private async Task RecordOutcomeAsync(string? kind, string? error)
    {
        await LockedAsync(
            () =>
            {
                using var transaction = Database.Write();
                Database.Set(ReplicaKeys.ClockOffset, _replica.Clock.Save().OffsetTicks);
                if (error is null)
                {
                    Database.Set(ReplicaKeys.LastSyncAt, Time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                    Database.Set(ReplicaKeys.LastSyncKind, kind ?? Database.Get(ReplicaKeys.LastSyncKind) ?? SyncReport.NameOf(SyncKind.NoOp));
                }

                Database.Set(ReplicaKeys.LastSyncError, error);
                transaction.Commit();
                return true;
            },
            CancellationToken.None).ConfigureAwait(false);
    }

    private static SyncReport Empty(long cursor) => new(SyncKind.NoOp, 0, 0, [], [], [], cursor, TimeSpan.Zero);

    private async Task<T> LockedAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await _replica.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return work();
        }
        finally
        {
            _replica.Gate.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();

    private sealed record Resolution(List<(PendingAction Action, Rejection Rejection)> Rejected, HashSet<Guid> Drifted, HashSet<Guid> Behind);
}
