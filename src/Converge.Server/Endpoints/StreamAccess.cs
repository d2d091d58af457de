using Converge.Core;
using Converge.Server.Auth;
using Converge.Server.Hosting;
using Microsoft.AspNetCore.Http;

namespace Converge.Server.Endpoints;

/// <summary>The check every stream endpoint starts with: a valid stream name and a credential that may use it.</summary>
internal static class StreamAccess
{
    private static readonly object PrincipalKey = new();

    /// <summary>
    /// The principal when allowed (kept on the request, so every problem answered after this names it); otherwise the
    /// 401 or 404 is already written and the result is null.
    /// </summary>
    public static async Task<string?> AuthorizeAsync(HttpContext context, ConvergeServer server, string stream)
    {
        var decision = StreamNames.IsValid(stream)
            ? await server.Authenticator.AuthorizeAsync(context, stream, context.RequestAborted).ConfigureAwait(false)
            : null;
        if (decision?.Outcome == AccessOutcome.Allowed)
        {
            context.Items[PrincipalKey] = decision.Principal;
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

    /// <summary>The principal a stream request was allowed as, or null before (or without) its access check.</summary>
    public static string? PrincipalOf(HttpContext context) => context.Items.TryGetValue(PrincipalKey, out var principal) ? principal as string : null;

    /// <summary>For an invalid stream name: whether the credential is valid at all (401 before 404).</summary>
    private static async Task<bool> IsAuthenticatedAsync(HttpContext context, ConvergeServer server) =>
        (await server.Authenticator.AuthorizeAsync(context, "_", context.RequestAborted).ConfigureAwait(false)).Outcome != AccessOutcome.Unauthenticated;
}
