using System.Diagnostics;
using System.Globalization;
using Converge.Core;
using Converge.Core.Merge;
using Converge.Core.Protocol;
using Converge.Server.Diagnostics;
using Converge.Server.Hosting;
using Converge.Server.Storage;

namespace Converge.Server.Push;

/// <summary>
/// Decides each pushed action in a write session: a duplicate (same id, same body), a reuse of an id (same id,
/// other body), too far ahead of the server's clock, or the merge engine's verdict against the stream's state;
/// accepted actions are appended with the next index.
/// </summary>
/// <remarks>
/// A push holds the stream's writer for at most <see cref="ConvergeServerOptions.MaxWriteTurn"/> at a time, and for
/// <see cref="ConvergeServerOptions.YieldWriteAfter"/> when writes of other streams wait for the store's one writer: a
/// push that takes longer commits what it decided and goes on in a new session, so pushes to other streams get their
/// turn in between. Each action is atomic either way, and the push is answered once all
/// of it is durable; a push cut by a crash between turns is answered by its retry (the decided part as duplicates).
/// </remarks>
internal static class PushProcessor
{
    public static async Task<(List<PushResult> Results, long Head, bool Advanced)> RunAsync(ConvergeServer server, PushBatch batch, CancellationToken cancellationToken)
    {
        var envelopes = batch.Envelopes;
        var results = new List<PushResult>(envelopes.Count);
        var tally = new Tally();

        // Hashes depend on the bodies alone (made when the push was read): computed before the stream's lock is taken, not while it is held.
        foreach (var envelope in envelopes)
        {
            _ = envelope.Hash;
        }

        long? startHead = null;
        long head = 0;
        var next = 0;
        while (next < envelopes.Count)
        {
            var session = await server.Store.BeginWriteAsync(batch.Stream, cancellationToken).ConfigureAwait(false);
            await using (session.ConfigureAwait(false))
            {
                startHead ??= session.Head;
                next = await TurnAsync(server, batch, session, next, results, tally, cancellationToken).ConfigureAwait(false);
                await session.CommitAsync(cancellationToken).ConfigureAwait(false);

                head = session.Head;
            }
        }

        server.Metrics.Accepted.Add(tally.Accepted);
        server.Metrics.Duplicates.Add(tally.Duplicates);
        ServerLog.Pushed(server.Logger, batch.Stream, batch.Principal, tally.Accepted, tally.Duplicates, tally.Rejected, head);
        return (results, head, head > startHead);
    }

    /// <summary>Decides actions from <paramref name="first"/> on in one session until they end or the turn is up; returns the next one to decide.</summary>
    private static async Task<int> TurnAsync(ConvergeServer server, PushBatch batch, IStreamWriteSession session, int first, List<PushResult> results, Tally tally, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var context = new ApplyContext(batch.Principal, server.ApplyLimits, IsNew: true);
        await session.PrefetchAsync(first == 0 ? batch.Actions : [.. batch.Actions.Skip(first)], cancellationToken).ConfigureAwait(false);
        var envelopes = batch.Envelopes;
        for (var i = first; i < envelopes.Count; i++)
        {
            // The turn ends when it is up, or sooner when writes of other streams wait for the store's one writer.
            if (i > first && Stopwatch.GetElapsedTime(started) is var held && (held >= server.Options.MaxWriteTurn || (held >= server.Options.YieldWriteAfter && session.OthersWaiting)))
            {
                return i;
            }

            results.Add(Decide(server, batch, session, envelopes[i], context, tally));
        }

        return envelopes.Count;
    }

    private static PushResult Decide(ConvergeServer server, PushBatch batch, IStreamWriteSession session, ActionEnvelope envelope, ApplyContext context, Tally tally)
    {
        var action = envelope.Action;
        var hash = envelope.Hash.Span;
        var id = action.Id.ToString("D");
        if (session.FindAccepted(action.Id) is { } earlier)
        {
            if (earlier.BodyHash.Span.SequenceEqual(hash))
            {
                tally.Duplicates++;
                return new PushResult { Id = id, Status = PushStatus.Duplicate, Index = earlier.Index };
            }

            tally.Rejected++;
            return Reject(server, batch, action.Id, new Rejection(RejectionCodes.IdReused, $"Action id {id} is already in the log at index {earlier.Index} with a different body; an action id names one action forever."));
        }

        // A rejection is final: a retry of the refused body gets the same answer, even if it would pass now, so
        // the client that was told "rejected" is never contradicted by the log. Only a body refused for clock
        // drift may come back, re-stamped, under the same id.
        if (session.FindRefused(action.Id) is { } refused && (refused.BodyHash.Span.SequenceEqual(hash) || refused.Code != RejectionCodes.ClockDrift))
        {
            tally.Rejected++;
            return Reject(server, batch, action.Id, refused.BodyHash.Span.SequenceEqual(hash)
                ? new Rejection(refused.Code, refused.Message)
                : new Rejection(RejectionCodes.IdReused, $"Action id {id} was rejected ({refused.Code}) with another body; an action id names one action forever."));
        }

        var drift = server.Clock.CheckDrift(action.Hlc, server.Options.AllowedClockDrift);
        var refusal = drift.IsWithinBounds
            ? MergeEngine.Apply(session.State, action, context).Rejection
            : new Rejection(
                RejectionCodes.ClockDrift,
                string.Create(CultureInfo.InvariantCulture, $"The action's clock is {drift.Ahead.TotalMilliseconds:0.###} ms ahead of the server's; at most {drift.Allowed.TotalMilliseconds:0.###} ms is allowed. Correct the clock by the server time and re-stamp."));
        if (refusal is not null)
        {
            session.Refuse(action.Id, new RefusedAction(envelope.Hash, refusal.Code, refusal.Message));
            tally.Rejected++;
            return Reject(server, batch, action.Id, refusal);
        }

        var index = session.Head + 1;
        session.Append(new StoredAction(index, action.Id, batch.ClientId, batch.Principal, envelope.Body), envelope.Hash);
        tally.Accepted++;
        return new PushResult { Id = id, Status = PushStatus.Accepted, Index = index };
    }

    private static PushResult Reject(ConvergeServer server, PushBatch batch, Guid actionId, Rejection rejection)
    {
        server.Metrics.Rejected.Add(1, new KeyValuePair<string, object?>("code", rejection.Code));
        ServerLog.ActionRejected(server.Logger, actionId, batch.Stream, rejection.Code, rejection.Message);
        return new PushResult { Id = actionId.ToString("D"), Status = PushStatus.Rejected, Code = rejection.Code, Message = rejection.Message };
    }

    /// <summary>What a push's actions came to, counted across its turns.</summary>
    private sealed class Tally
    {
        public int Accepted { get; set; }

        public int Duplicates { get; set; }

        public int Rejected { get; set; }
    }
}
