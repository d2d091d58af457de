using System.Collections.Immutable;
using System.Diagnostics;
using Converge.Client.Lifecycle;
using Converge.Client.Storage;
using Converge.Client.Transport;
using Converge.Core;
using Converge.Core.Actions;
using Converge.Core.Clock;
using Converge.Core.Merge;
using Converge.Core.Protocol;

namespace Converge.Client.Sync;

/// <summary>
/// The sync step of SPEC section 4. Network calls happen outside the replica's lock; everything a step changes
/// locally commits in one transaction, so a crash at any point leaves the previous state and the next step resumes.
/// Every transaction re-reads what it depends on, so two openers of one file (an app and <c>converge sync</c>) cannot
/// apply the same thing twice.
/// </summary>
internal sealed class SyncEngine : IDisposable
{
    /// <summary>Steps in a row that only re-stamped before a run gives up (a server whose clock keeps refusing ours).</summary>
    private const int MaxRestampOnlySteps = 3;

    private readonly Replica _replica;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private int _pushBatch;
    private bool _outcomeWritten;
    private bool _limitsLearned;

    public SyncEngine(Replica replica)
    {
        _replica = replica;
        _pushBatch = replica.Options.PushBatchSize;
    }

    /// <summary>
    /// True when the last step left nothing to do that another step at once would find: it pulled up to the server's
    /// head (or confirmed its push in place) and nothing stays queued. The loop then waits to be woken.
    /// </summary>
    public bool Settled { get; private set; }

    private ReplicaDatabase Database => _replica.Database;

    private TimeProvider Time => _replica.Options.Time;

    public async Task<SyncReport> RunAsync(IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var report = await StepAsync(progress, cancellationToken).ConfigureAwait(false);
        var restampOnly = IsRestampOnly(report) ? 1 : 0;
        for (var steps = 1; report.MadeProgress && restampOnly < MaxRestampOnlySteps && steps < 100_000; steps++)
        {
            var next = await StepAsync(progress, cancellationToken).ConfigureAwait(false);
            if (!next.MadeProgress)
            {
                break;
            }

            restampOnly = IsRestampOnly(next) ? restampOnly + 1 : 0;
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
        SyncReport report;
        Settled = false;
        _outcomeWritten = false;
        try
        {
            report = await StepCoreAsync(transport, progress, cancellationToken).ConfigureAwait(false);
            report = report with { Duration = Stopwatch.GetElapsedTime(started) };
            if (!_outcomeWritten)
            {
                await RecordOutcomeAsync(report.MadeProgress && !report.Raced ? SyncReport.NameOf(report.Kind) : null, null).ConfigureAwait(false);
            }

            progress?.Report(new SyncProgress(SyncPhase.Done, 1, 1));
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

        if (report.MadeProgress)
        {
            _replica.OnSynced(report);
        }

        return report;
    }

    /// <summary>Waits for the step under way, if any, to end.</summary>
    public async Task QuiesceAsync()
    {
        await _oneAtATime.WaitAsync().ConfigureAwait(false);
        _oneAtATime.Release();
    }

    public void Dispose() => _oneAtATime.Dispose();

    private static bool IsRestampOnly(SyncReport report) => report.Restamped > 0 && report.Accepted.IsEmpty && report.Pulled == 0;

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
        await LearnPrincipalAsync(pull.Value, cancellationToken).ConfigureAwait(false);
        await LearnLimitsAsync(transport, cancellationToken).ConfigureAwait(false);
        if (pull.Value.Status != PullStatus.Ok)
        {
            return await ReloadAsync(transport, pull.Value.Status, progress, cancellationToken).ConfigureAwait(false);
        }

        var pulled = Decode(pull.Value.Response!, cursor);
        if (pulled.Count > 0)
        {
            progress?.Report(new SyncProgress(SyncPhase.Applying, 0, pulled.Count));
            var atHead = pulled.Count < _replica.Options.PullBatchSize && pull.Value.Response!.Head <= pulled[^1].Index;
            return await LockedAsync(() => ApplyPulled(pulled, cursor, atHead), cancellationToken).ConfigureAwait(false);
        }

        return await PushAsync(transport, cursor, sentOnly: false, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The server cannot continue from this cursor: it compacted past it (<c>snapshot_required</c>), or it has less
    /// than this replica applied (<c>cursor_ahead</c>, a server restored from a backup). Sent actions whose answer was
    /// lost are pushed first, so the reload knows which of them the server holds; after a <c>cursor_ahead</c>, this
    /// replica's confirmed actions the server no longer has are queued again.
    /// </summary>
    private async Task<SyncReport> ReloadAsync(ISyncTransport transport, PullStatus status, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var cursor = await LockedAsync(() => Database.GetLong(ReplicaKeys.Cursor), cancellationToken).ConfigureAwait(false);
        var pushed = await PushAsync(transport, cursor, sentOnly: true, progress, cancellationToken).ConfigureAwait(false);
        if (pushed.Pushed > 0)
        {
            return pushed;
        }

        if (status == PullStatus.CursorAhead)
        {
            var first = (await transport.PullAsync(0, 1, cancellationToken).ConfigureAwait(false)).Value;
            await LearnPrincipalAsync(first, cancellationToken).ConfigureAwait(false);
            if (!await LockedAsync(() => RequeueLost(first.Response?.Head ?? 0), cancellationToken).ConfigureAwait(false))
            {
                // Reloading now would drop this replica's confirmed actions the restored server lacks: keep everything.
                throw new TransportException(
                    "The server has less than this replica applied (restored from a backup?), and it did not say which principal this replica's token is, " +
                    "so the replica cannot tell which of its confirmed actions to push again. Nothing was changed; sync again once the server names the principal in its answers.");
            }
        }

        return await new Bootstrapper(_replica).RunAsync(transport, progress, cancellationToken, reset: true).ConfigureAwait(false)
            ?? (status == PullStatus.CursorAhead
                ? await LockedAsync(ResetToEmpty, cancellationToken).ConfigureAwait(false)
                : throw new TransportException("The server asked for a reload from a snapshot but has none."));
    }

    private static List<LoggedAction> Decode(PullResponse response, long cursor)
    {
        var pulled = new List<LoggedAction>(response.Actions.Count);
        foreach (var wire in response.Actions)
        {
            var decoded = ActionCodec.DecodeLogged(wire);
            if (!decoded.IsOk)
            {
                throw new TransportException($"The server sent an action this client cannot read: {decoded.Error.Message}");
            }

            if (decoded.Value.Index != cursor + 1 + pulled.Count)
            {
                throw new TransportException($"The server sent indexes that do not follow the cursor {cursor} without a gap.");
            }

            pulled.Add(decoded.Value);
        }

        return pulled;
    }

    private async Task<SyncReport> PushAsync(ISyncTransport transport, long cursor, bool sentOnly, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        while (true)
        {
            var batch = await LockedAsync(() => TakePushBatch(sentOnly), cancellationToken).ConfigureAwait(false);
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
            catch (TransportException e) when (e.StatusCode is 400 or 413 && e.Code != "invalid_body")
            {
                // (invalid_body: the bytes broke on the way, not the push; it goes up as a failure and is retried as sent.)
                // Refused as a whole: the server applied nothing, so nothing of the batch is in a log.
                var culprit = e.ActionIndex is { } at && at >= 0 && at < batch.Count ? batch[at] : batch.Count == 1 ? batch[0] : null;
                if (culprit is null)
                {
                    // No action named (too large, too deep, too many): try again with half as many, and keep the smaller size.
                    await LockedAsync(() => Unsend(batch), cancellationToken).ConfigureAwait(false);
                    _pushBatch = Math.Max(1, batch.Count / 2);
                    continue;
                }

                return await LockedAsync(() => RefuseOne(culprit, batch, e), cancellationToken).ConfigureAwait(false);
            }

            Learn(push.ServerTime, push.SentAt, push.ReceivedAt);
            var results = push.Value.Results;
            if (results.Count != batch.Count || results.Where((r, i) => r.Id != batch[i].Action.Id.ToString("D")).Any())
            {
                throw new TransportException($"The server answered {results.Count} results that do not match the {batch.Count} actions pushed.");
            }

            return await LockedAsync(() => ApplyPushed(batch, push.Value), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Applies pulled actions beneath the pending ones, confirming this replica's own as they come back.</summary>
    private SyncReport ApplyPulled(List<LoggedAction> pulled, long expectedCursor, bool atHead)
    {
        var now = Time.GetUtcNow();
        var state = Database.State!;
        using var transaction = Database.Write();
        var cursor = Database.GetLong(ReplicaKeys.Cursor);
        if (cursor != expectedCursor)
        {
            // Another opener of this file applied from the same cursor meanwhile: drop this pull and go again.
            return Empty(cursor) with { Raced = true };
        }

        var pending = Database.LoadPending();
        if (!PlantedBugs.SkipUndo)
        {
            Rebase.UndoAll(state, pending);
        }

        _replica.Fault(pending.Count > 0 ? "rebase:undone" : "pull:begun");
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
            if (PlantedBugs.ApplyPulledTwice)
            {
                MergeEngine.Apply(state, logged.Action, new ApplyContext(logged.Principal));
            }

            Database.InsertLog(logged);
            if (logged.Action is RecordAction record)
            {
                changed.Add(new RecordKey(record.Collection, record.Record));
            }

            if (waiting.Remove(logged.Action.Id))
            {
                Database.RemovePending(logged.Action.Id);
                Database.InsertConfirmed(logged.Action, logged.Index, now);
                if (Database.ReplaceConflicts(logged.Action.Id, result.Conflicts, now))
                {
                    conflicts.AddRange(result.Conflicts);
                }

                confirmed.Add(new ActionState(logged.Action.Id, ActionStatus.Confirmed, logged.Index));
            }
        }

        var newCursor = pulled[^1].Index;
        Database.Set(ReplicaKeys.Cursor, newCursor);
        Database.Set(ReplicaKeys.MaxObserved, maxObserved);
        Database.Set(ReplicaKeys.Bootstrapped, "1");
        var remaining = pending.Where(p => waiting.ContainsKey(p.Action.Id)).ToList();
        _replica.Fault(remaining.Count > 0 ? "rebase:applied" : "pull:applied");
        conflicts.AddRange(Rebase.ApplyAll(Database, remaining, _replica.Context, now));
        _replica.SaveClock();

        // Own actions coming back only confirm a push; others' actions make it a pull, or a merge when some of ours stay pending.
        var kind = pulled.Count == confirmed.Count ? SyncKind.PushedOnly : remaining.Count > 0 ? SyncKind.Merged : SyncKind.PulledOnly;
        WriteOutcome(SyncReport.NameOf(kind));
        _replica.Fault("pull:commit");
        transaction.Commit();
        Settled = atHead && remaining.Count == 0;

        _replica.Resolve(confirmed);
        _replica.OnChanged(new ReplicaChange(changed, FromSync: true));
        return new SyncReport(kind, pulled.Count, 0, confirmed.ToImmutable(), [], [.. conflicts], newCursor, TimeSpan.Zero);
    }

    /// <summary>
    /// The next pending actions to push (or only those sent before whose answer was lost), marked sent first with a
    /// commit that survives a power loss, so an action that may reach a log is never re-stamped.
    /// </summary>
    private List<PendingAction> TakePushBatch(bool sentOnly)
    {
        var batch = Database.LoadPending(sentOnly ? int.MaxValue : _pushBatch, withJournals: false);
        if (sentOnly)
        {
            batch = [.. batch.Where(p => p.Status == ActionStatus.Sent && p.AckedIndex is null).Take(_pushBatch)];
        }

        var unsent = batch.Where(p => p.Status == ActionStatus.Pending).ToList();
        if (unsent.Count > 0)
        {
            Database.SyncNextCommit(full: true);
            try
            {
                using var transaction = Database.Write();
                unsent.ForEach(p => Database.MarkSent(p.Action.Id));
                transaction.Commit();
            }
            finally
            {
                Database.SyncNextCommit(full: false);
            }
        }

        return batch;
    }

    private bool Unsend(List<PendingAction> batch)
    {
        using var transaction = Database.Write();
        batch.ForEach(p => Database.MarkUnsent(p.Action.Id));
        transaction.Commit();
        return true;
    }

    /// <summary>Resolves a push's results: acknowledged, rejected (with dependents), or stamped too far ahead.</summary>
    private SyncReport ApplyPushed(List<PendingAction> batch, PushResponse response)
    {
        var now = Time.GetUtcNow();
        using var transaction = Database.Write();
        var cursor = Database.GetLong(ReplicaKeys.Cursor);
        var principalBefore = Database.Get(ReplicaKeys.Principal);
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
            if (result.Status is PushStatus.Accepted or PushStatus.Duplicate)
            {
                var index = result.Index ?? throw new TransportException($"The server accepted action {result.Id} without an index.");
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
        var queue = Database.LoadPending(batch.Count, withJournals: false);
        var inPlace = accepted.Count == batch.Count
            && accepted.Select((a, i) => a.Index == cursor + 1 + i).All(ok => ok)
            && queue.Select(p => p.Action.Id).SequenceEqual(batch.Select(p => p.Action.Id));
        if (inPlace && !principalChanged)
        {
            // Nobody else wrote in between, and these are the oldest pending actions: the state already is the
            // server's plus the rest of the queue. Confirm them where they are, with no undo.
            var confirmed = ConfirmInPlace(batch, accepted, now);
            var empty = Database.CountPending() == 0;
            WriteOutcome(SyncReport.NameOf(SyncKind.PushedOnly));
            transaction.Commit();

            // In place means the server's head was this push's last index: with nothing queued, nothing is left to do.
            Settled = empty;
            _replica.Resolve(confirmed);
            return new SyncReport(SyncKind.PushedOnly, 0, batch.Count, confirmed, [], [], cursor + batch.Count, TimeSpan.Zero);
        }

        _replica.Fault("push:answered");
        var behind = accepted.Where(a => a.Index <= cursor).ToDictionary(a => a.ActionId, a => a.Index!.Value);
        var (rejectedStates, restamped, conflicts) = rejected.Count > 0 || drifted.Count > 0 || behind.Count > 0 || principalChanged
            ? Resolve(new Resolution(rejected, drifted, behind), now)
            : ([], 0, []);
        WriteOutcome(SyncReport.NameOf(SyncKind.PushedOnly));
        _replica.Fault("push:commit");
        transaction.Commit();

        _replica.Resolve(rejectedStates.Concat(behind.Select(b => new ActionState(b.Key, ActionStatus.Confirmed, b.Value))));
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
            Database.InsertConfirmed(action, index, now);
            Database.InsertLog(new LoggedAction(index, _replica.ClientId, principal, action));
            Database.Set(ReplicaKeys.Cursor, index);
        }

        return [.. accepted.Select(a => a with { Status = ActionStatus.Confirmed })];
    }

    /// <summary>
    /// Undoes the queue, drops the rejected actions (and, for a rejected create of a record the confirmed state does
    /// not hold, the queued actions on that record), confirms those the confirmed state already holds, re-stamps after
    /// a drift rejection, and re-applies the rest.
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
                Reject(action.Action, new Rejection(RejectionCodes.DependencyRejected, $"It acts on record {record.Record:D}, whose create was rejected."));
            }
            else if (resolution.Behind.TryGetValue(action.Action.Id, out var index))
            {
                Database.RemovePending(action.Action.Id);
                Database.InsertConfirmed(action.Action, index, now);
                dropped.Add(action.Action.Id);
            }
        }

        _replica.Fault("rebase:undone");
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
    /// no log can hold (never sent, or refused for drift). The floor is every stamp this replica saw, every own stamp a
    /// log holds, and every own stamp that may be in a log (sent, answer unknown): new stamps go after all of them.
    /// </summary>
    private int Restamp(List<PendingAction> remaining, HashSet<Guid> drifted)
    {
        var node = _replica.Clock.Node;
        var floor = new HybridTimestamp(Math.Max(Database.GetLong(ReplicaKeys.MaxObserved), Database.GetLong(ReplicaKeys.MaxOwnLogged)), node);
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

    /// <summary>A push the server refused as a whole because of one action: that action is rejected, the rest go back to pending.</summary>
    private SyncReport RefuseOne(PendingAction culprit, List<PendingAction> batch, TransportException refusal)
    {
        using var transaction = Database.Write();
        var cursor = Database.GetLong(ReplicaKeys.Cursor);
        batch.ForEach(p => Database.MarkUnsent(p.Action.Id));
        var rejection = new Rejection(refusal.Code ?? RejectionCodes.InvalidAction, refusal.Message);
        var (rejected, _, conflicts) = Resolve(new Resolution([(culprit, rejection)], [], []), Time.GetUtcNow());
        transaction.Commit();
        _replica.Resolve(rejected);
        return new SyncReport(SyncKind.PushedOnly, 0, batch.Count, [], [.. rejected], [.. conflicts], cursor, TimeSpan.Zero);
    }

    /// <summary>
    /// After <c>cursor_ahead</c>: this replica's confirmed actions past the server's head are pending again, same ids and
    /// bodies. Only those its principal wrote through its client id: never another replica's, nor another principal's
    /// logged under this id (a server before ids were bound let that happen), nor anything while the principal is not
    /// known (a new token, and a server that did not name it), since a push would send them as whoever the token is now.
    /// False, changing nothing, when the principal is not known and the log past the head holds actions pushed through
    /// this client id: the caller must not reload then.
    /// </summary>
    private bool RequeueLost(long head)
    {
        var now = Time.GetUtcNow();
        using var transaction = Database.Write();
        if (Database.Get(ReplicaKeys.Principal) is not { Length: > 0 } principal)
        {
            // Nothing past the head came through this client id: nothing of this replica's is lost, so it may reload.
            return !Database.HasLoggedThrough(head, _replica.ClientId);
        }

        var pending = Database.LoadPending(withJournals: false).Select(p => p.Action.Id).ToHashSet();
        foreach (var action in Database.LoadOwnLogged(head, _replica.ClientId, principal).Where(a => !pending.Contains(a.Id)))
        {
            Database.ForgetConfirmed(action.Id);
            Database.InsertPending(action, Core.State.UndoJournal.Empty, now);
        }

        transaction.Commit();
        return true;
    }

    /// <summary>
    /// Asks the server its limits once per opening (after a pull, so it is known to be Converge) and stores them, so local
    /// writes are checked against the server's own limits; a server that does not say leaves the defaults.
    /// </summary>
    private async Task LearnLimitsAsync(ISyncTransport transport, CancellationToken cancellationToken)
    {
        if (_limitsLearned)
        {
            return;
        }

        if (await transport.GetLimitsAsync(cancellationToken).ConfigureAwait(false) is { } limits)
        {
            await LockedAsync(() => StoreLimits(limits.ToJson()), cancellationToken).ConfigureAwait(false);
        }

        _limitsLearned = true;
    }

    private bool StoreLimits(string text)
    {
        if (Database.Get(ReplicaKeys.ServerLimits) == text)
        {
            return false;
        }

        using var transaction = Database.Write();
        Database.Set(ReplicaKeys.ServerLimits, text);
        transaction.Commit();
        return true;
    }

    /// <summary>Stores the principal a pull answer named (a page or a problem), when it is not the one stored.</summary>
    private async Task LearnPrincipalAsync(PullOutcome outcome, CancellationToken cancellationToken)
    {
        if ((outcome.Principal ?? outcome.Response?.Principal) is { Length: > 0 } principal)
        {
            await LockedAsync(() => AdoptPrincipal(principal), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stores the principal the server authenticated this replica as. When it differs from the one stored, the queue is
    /// applied again under it, as after a push that named a new one (owned records the queue creates are its).
    /// </summary>
    private bool AdoptPrincipal(string principal)
    {
        if (Database.Get(ReplicaKeys.Principal) == principal)
        {
            return false;
        }

        using var transaction = Database.Write();
        Database.Set(ReplicaKeys.Principal, principal);
        var pending = Database.LoadPending();
        if (pending.Count > 0)
        {
            Rebase.UndoAll(Database.State!, pending);
            Rebase.ApplyAll(Database, pending, _replica.Context, Time.GetUtcNow());
        }

        transaction.Commit();
        return true;
    }

    /// <summary>After <c>cursor_ahead</c> with no snapshot to load: start again from an empty state, keeping the queue.</summary>
    private SyncReport ResetToEmpty()
    {
        var now = Time.GetUtcNow();
        using var transaction = Database.Write();
        var pending = Database.LoadPending();
        Rebase.UndoAll(Database.State!, pending);
        Database.ClearStreamState();
        Database.Set(ReplicaKeys.Cursor, 0);
        var conflicts = Rebase.ApplyAll(Database, pending, _replica.Context, now);
        transaction.Commit();
        _replica.OnChanged(new ReplicaChange([], FromSync: true, Reloaded: true));
        return new SyncReport(SyncKind.Merged, 0, 0, [], [], [.. conflicts], 0, TimeSpan.Zero, SnapshotIndex: 0);
    }

    private void Learn(DateTimeOffset? serverTime, DateTimeOffset sentAt, DateTimeOffset receivedAt)
    {
        if (serverTime is { } time)
        {
            _replica.Clock.LearnServerTime(time, sentAt, receivedAt);
        }
    }

    private async Task RecordOutcomeAsync(string? kind, string? error)
    {
        await LockedAsync(
            () =>
            {
                using var transaction = Database.Write();
                WriteOutcome(kind, error);
                transaction.Commit();
                return true;
            },
            CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Records the step's outcome (clock offset, last sync) inside the caller's transaction. A step that ends in its
    /// own transaction writes it there, so applying what a wake-up brought costs one transaction.
    /// </summary>
    private void WriteOutcome(string? kind, string? error = null)
    {
        Database.Set(ReplicaKeys.ClockOffset, _replica.Clock.Save().OffsetTicks);
        if (error is null)
        {
            Database.Set(ReplicaKeys.LastSyncAt, Time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            Database.Set(ReplicaKeys.LastSyncKind, kind ?? Database.Get(ReplicaKeys.LastSyncKind) ?? SyncReport.NameOf(SyncKind.NoOp));
        }

        Database.Set(ReplicaKeys.LastSyncError, error);
        _outcomeWritten = true;
    }

    private static SyncReport Empty(long cursor) => new(SyncKind.NoOp, 0, 0, [], [], [], cursor, TimeSpan.Zero);

    /// <summary>Runs work under the replica's lock, then raises the change notifications it queued, with the lock released.</summary>
    private async Task<T> LockedAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await _replica.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        T result;
        try
        {
            result = work();
        }
        finally
        {
            _replica.Gate.Release();
        }

        _replica.FlushChanges();
        return result;
    }

    private sealed record Resolution(List<(PendingAction Action, Rejection Rejection)> Rejected, HashSet<Guid> Drifted, Dictionary<Guid, long> Behind);
}
