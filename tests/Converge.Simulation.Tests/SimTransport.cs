using System.Runtime.CompilerServices;
using Converge.Client.Transport;
using Converge.Core;
using Converge.Core.Actions;
using Converge.Core.Errors;
using Converge.Core.Protocol;

namespace Converge.Simulation.Tests;

/// <summary>
/// A client's connection to the simulated server: the real wire types, through a network that drops, duplicates,
/// delays and reorders messages, loses replies after the server committed, and partitions (also one way).
/// </summary>
internal sealed class SimTransport(SimWorld world, SimClient client) : ISyncTransport
{
    public async Task<Exchange<PullOutcome>> PullAsync(long after, int limit, CancellationToken cancellationToken = default)
    {
        var sent = client.Time.GetUtcNow();
        world.Network.Request(client);
        var answer = await world.Server.PullAsync(world.Stream, client.Principal, client.ClientId, after, limit);
        await world.Network.InFlightAsync(client);
        world.Network.Reply(client);
        var received = client.Time.GetUtcNow();
        var serverTime = world.Server.Time.GetUtcNow();
        if (answer.Page is not { } page)
        {
            var status = answer.Code switch
            {
                ProblemCodes.SnapshotRequired => PullStatus.SnapshotRequired,
                ProblemCodes.CursorAhead => PullStatus.CursorAhead,
                _ => throw new ServerRefusedException($"{answer.Status} {answer.Code}: {answer.Detail}", answer.Status) { Code = answer.Code },
            };
            return new Exchange<PullOutcome>(new PullOutcome(status, null), serverTime, sent, received);
        }

        var actions = page.Actions
            .Select(a => ActionCodec.Encode(new LoggedAction(a.Index, a.ClientId, a.Principal, ActionBody.Deserialize(a.Body.Span))))
            .ToList();
        return new Exchange<PullOutcome>(PullOutcome.Ok(new PullResponse { Actions = actions, Head = page.Head, ServerTime = serverTime }), serverTime, sent, received);
    }

    public async Task<Exchange<PushResponse>> PushAsync(PushRequest request, CancellationToken cancellationToken = default)
    {
        var sent = client.Time.GetUtcNow();
        world.Network.Request(client);
        var response = await world.Server.PushAsync(world.Stream, client.Principal, request);
        if (world.Network.Duplicates(client))
        {
            world.Oracle.Pushed(client, request, response);
            world.Trace.AppendLine("  (delivered twice)");
            response = await world.Server.PushAsync(world.Stream, client.Principal, request);
        }

        world.Network.DelayCopy(client, request);
        await world.Network.InFlightAsync(client);
        world.Oracle.Pushed(client, request, response);
        world.Network.Reply(client, lostReplyOf: request);
        world.Oracle.Answered(client, response);
        return new Exchange<PushResponse>(response, world.Server.Time.GetUtcNow(), sent, client.Time.GetUtcNow());
    }

    public async Task<Exchange<SnapshotInfo?>> GetSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var sent = client.Time.GetUtcNow();
        world.Network.Request(client);
        var latest = await world.Server.Store.GetLatestSnapshotAsync(world.Stream, cancellationToken);
        world.Network.Reply(client);
        var info = latest is null ? null : new SnapshotInfo { Index = latest.Index, Digest = latest.Digest, Href = latest.Digest, ServerTime = world.Server.Time.GetUtcNow() };
        return new Exchange<SnapshotInfo?>(info, world.Server.Time.GetUtcNow(), sent, client.Time.GetUtcNow());
    }

    public async Task<Stream> OpenSnapshotAsync(SnapshotInfo snapshot, CancellationToken cancellationToken = default)
    {
        world.Network.Request(client);
        var body = await world.Server.Store.OpenSnapshotAsync(world.Stream, snapshot.Href, cancellationToken)
            ?? throw new ServerRefusedException("404 not_found: no such snapshot", 404) { Code = ProblemCodes.NotFound };
        world.Network.Reply(client);
        return body;
    }

    public async IAsyncEnumerable<long> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The simulator drives every step itself; nothing runs a background loop to watch.
        await Task.CompletedTask;
        yield break;
    }
}
