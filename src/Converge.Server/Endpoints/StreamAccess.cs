using Converge.Server.Auth;
using Converge.Server.Hosting;
using Microsoft.AspNetCore.Http;

namespace Converge.Server.Endpoints;

/// <summary>The check every stream endpoint starts with: a valid stream name and a credential that may use it.</summary>
internal static class StreamAccess
{
    /// <summary>The principal when allowed; otherwise the 401 or 404 is already written and the result is null.</summary>
    public static async Task<string?> AuthorizeAsync(HttpContext context, ConvergeServer server, string stream)
    {
        var decision = StreamNames.IsValid(stream)
            ? await server.Authenticator.AuthorizeAsync(context, stream, context.RequestAborted).ConfigureAwait(false)
            : null;
        if (decision?.Outcome == AccessOutcome.Allowed)
        {
            return decision.Principal;
        }

        if (decision?.Outcome == AccessOutcome.Unauthenticated
            || (decision is null && !await IsAuthenticatedAsync(context, server).ConfigureAwait(false)))
        {
            await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, ProblemCodes.Unauthorized, "A valid bearer credential is required: Authorization: Bearer <token>.").ConfigureAwait(false);
            return null;
        }

        await Problems.WriteAsync(context, StatusCodes.Status404NotFound, ProblemCodes.NotFound, "There is no such stream for this credential.").ConfigureAwait(false);
        return null;
    }

    /// <summary>For an invalid stream name: whether the credential is valid at all (401 before 404).</summary>
    private static async Task<bool> IsAuthenticatedAsync(HttpContext context, ConvergeServer server) =>
        (await server.Authenticator.AuthorizeAsync(context, "_", context.RequestAborted).ConfigureAwait(false)).Outcome != AccessOutcome.Unauthenticated;
}
