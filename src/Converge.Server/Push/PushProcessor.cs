using System.Globalization;
using Converge.Core;
using Converge.Core.Merge;
using Converge.Core.Protocol;
using Converge.Server.Diagnostics;
using Converge.Server.Hosting;
using Converge.Server.Storage;

namespace Converge.Server.Push;

/// <summary>
/// Decides each pushed action in one write session: a duplicate (same id, same body), a reuse of an id (same id,
/// other body), too far ahead of the server's clock, or the merge engine's verdict against the stream's state;
/// accepted actions are appended with the next index. All of it commits together.
/// </summary>
internal static class PushProcessor
{
    public static async Task<(List<PushResult> Results, long Head, bool Advanced)> RunAsync(ConvergeServer server, PushBatch batch, CancellationToken cancellationToken)
    {
        var results = new List<PushResult>(batch.Actions.Count);
        var context = new ApplyContext(batch.Principal, server.Limits);
        var (accepted, duplicates, rejected) = (0, 0, 0);

        // Canonical bodies and their hashes depend on the actions alone: made before the stream's lock is taken, not while it is held.
        var bodies = new (byte[] Body, byte[] Hash)[batch.Actions.Count];
        for (var i = 0; i < bodies.Length; i++)
        {
            var canonical = ActionBody.Serialize(batch.Actions[i]);
            bodies[i] = (canonical, ActionBody.Hash(canonical));
        }

        var session = await server.Store.BeginWriteAsync(batch.Stream, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var startHead = session.Head;
            await session.PrefetchAsync(batch.Actions, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < bodies.Length; i++)
            {
                var action = batch.Actions[i];
                var (body, hash) = bodies[i];
                var id = action.Id.ToString("D");
                if (session.FindAccepted(action.Id) is { } earlier)
                {
                    if (earlier.BodyHash.Span.SequenceEqual(hash))
                    {
                        results.Add(new PushResult { Id = id, Status = PushStatus.Duplicate, Index = earlier.Index });
                        duplicates++;
                    }
                    else
                    {
                        results.Add(Reject(server, batch, action.Id, new Rejection(RejectionCodes.IdReused, $"Action id {id} is already in the log at index {earlier.Index} with a different body; an action id names one action forever.")));
                        rejected++;
                    }

                    continue;
                }

                // A rejection is final: a retry of the refused body gets the same answer, even if it would pass now, so
                // the client that was told "rejected" is never contradicted by the log. Only a body refused for clock
                // drift may come back, re-stamped, under the same id.
                if (session.FindRefused(action.Id) is { } refused && (refused.BodyHash.Span.SequenceEqual(hash) || refused.Code != RejectionCodes.ClockDrift))
                {
                    results.Add(Reject(server, batch, action.Id, refused.BodyHash.Span.SequenceEqual(hash)
                        ? new Rejection(refused.Code, refused.Message)
                        : new Rejection(RejectionCodes.IdReused, $"Action id {id} was rejected ({refused.Code}) with another body; an action id names one action forever.")));
                    rejected++;
                    continue;
                }

                var drift = server.Clock.CheckDrift(action.Hlc, server.Options.AllowedClockDrift);
                var refusal = drift.IsWithinBounds
                    ? MergeEngine.Apply(session.State, action, context).Rejection
                    : new Rejection(
                        RejectionCodes.ClockDrift,
                        string.Create(CultureInfo.InvariantCulture, $"The action's clock is {drift.Ahead.TotalMilliseconds:0.###} ms ahead of the server's; at most {drift.Allowed.TotalMilliseconds:0.###} ms is allowed. Correct the clock by the server time and re-stamp."));
                if (refusal is not null)
                {
                    session.Refuse(action.Id, new RefusedAction(hash, refusal.Code, refusal.Message));
                    results.Add(Reject(server, batch, action.Id, refusal));
                    rejected++;
                    continue;
                }

                var index = session.Head + 1;
                session.Append(new StoredAction(index, action.Id, batch.ClientId, batch.Principal, body), hash);
                results.Add(new PushResult { Id = id, Status = PushStatus.Accepted, Index = index });
                accepted++;
            }

            if (!PlantedBugs.AcceptWithoutPersisting)
            {
                await session.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            server.Metrics.Accepted.Add(accepted);
            server.Metrics.Duplicates.Add(duplicates);
            ServerLog.Pushed(server.Logger, batch.Stream, batch.Principal, accepted, duplicates, rejected, session.Head);
            return (results, session.Head, session.Head > startHead);
        }
    }

    private static PushResult Reject(ConvergeServer server, PushBatch batch, Guid actionId, Rejection rejection)
    {
        server.Metrics.Rejected.Add(1, new KeyValuePair<string, object?>("code", rejection.Code));
        ServerLog.ActionRejected(server.Logger, actionId, batch.Stream, rejection.Code, rejection.Message);
        return new PushResult { Id = actionId.ToString("D"), Status = PushStatus.Rejected, Code = rejection.Code, Message = rejection.Message };
    }
}
