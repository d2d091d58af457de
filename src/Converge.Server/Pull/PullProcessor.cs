using Converge.Core;
using Converge.Server.Endpoints;
using Converge.Server.Hosting;
using Converge.Server.Storage;
using Microsoft.AspNetCore.Http;

namespace Converge.Server.Pull;

/// <summary>
/// Answers a checked pull: exactly the entries after the cursor up to the limit (clamped), or <c>cursor_ahead</c> past the
/// head, or <c>snapshot_required</c> below the compaction horizon, or <c>client_id_taken</c> for another principal's client
/// id; records the client's cursor in the registry.
/// </summary>
internal static class PullProcessor
{
    public static async Task<PullAnswer> RunAsync(ConvergeServer server, PullQuery query, CancellationToken cancellationToken)
    {
        // Checked first: a client id of another principal is refused whatever the cursor, and moves nothing.
        if (query.ClientId is { } client && !await server.Registry.ClaimAsync(query.Stream, client, query.Principal, server.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return PullAnswer.Problem(StatusCodes.Status403Forbidden, ProblemCodes.ClientIdTaken, ClientRegistry.TakenDetail(client));
        }

        var page = await server.Store.ReadAsync(query.Stream, query.After, (int)Math.Min(query.Limit, server.Options.MaxPullLimit), cancellationToken).ConfigureAwait(false);
        if (query.After > page.Head)
        {
            return PullAnswer.Problem(StatusCodes.Status400BadRequest, ProblemCodes.CursorAhead, $"The cursor {query.After} is past the stream's head {page.Head}; the replica holds actions this server does not.");
        }

        if (query.After < page.Horizon)
        {
            return PullAnswer.Problem(StatusCodes.Status410Gone, ProblemCodes.SnapshotRequired, $"Entries up to {page.Horizon} were compacted; load the latest snapshot, then pull after its index.");
        }

        if (query.ClientId is { } id)
        {
            server.Registry.Record(new ClientVisit(query.Stream, id, query.Principal, query.After, server.Time.GetUtcNow()));
        }

        return new PullAnswer(page, 200, null, null);
    }
}
