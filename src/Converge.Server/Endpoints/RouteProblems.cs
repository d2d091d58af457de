using Converge.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Converge.Server.Endpoints;

/// <summary>
/// Problem documents for requests that reach routing but no Converge endpoint: a wrong method on a Converge path
/// (405 <c>method_not_allowed</c>, with <c>Allow</c>) and any other path under <c>/v1/streams</c> (404 <c>not_found</c>).
/// </summary>
/// <remarks>
/// Endpoints, not middleware, so they hold wherever the protocol is mapped (a group prefix too) and touch nothing
/// else of the app. They have the lowest route order, so every route of the host app (a reverse proxy's
/// <c>/v1/{**rest}</c>, an SPA fallback) outranks them, and the catch-all covers only <c>/v1/streams</c>, the
/// protocol's own paths: they answer only what nothing else would.
/// </remarks>
internal static class RouteProblems
{
    /// <summary>Loses to every route of default order, and to any of equal order with a more specific pattern.</summary>
    private const int LowestOrder = int.MaxValue;

    /// <summary>Maps the answers next to the protocol's endpoints.</summary>
    public static void Map(IEndpointRouteBuilder endpoints, IEndpointRouteBuilder streams)
    {
        MethodNotAllowed(streams, "/push", HttpMethods.Post);
        MethodNotAllowed(streams, "/pull", HttpMethods.Get);
        MethodNotAllowed(streams, "/limits", HttpMethods.Get);
        MethodNotAllowed(streams, "/snapshot", HttpMethods.Get);
        MethodNotAllowed(streams, "/snapshots/{digest}", HttpMethods.Get);
        MethodNotAllowed(endpoints, "/healthz", HttpMethods.Get);
        endpoints.Map("/v1/streams/{**rest}", NotFoundAsync).WithDisplayName("Converge: no such endpoint").WithOrder(LowestOrder);
    }

    private static void MethodNotAllowed(IEndpointRouteBuilder endpoints, string pattern, string allowed) =>
        endpoints.Map(pattern, context =>
        {
            context.Response.Headers.Allow = allowed;
            return Problems.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, ProblemCodes.MethodNotAllowed, $"{context.Request.Method} is not allowed here; use {allowed}.");
        }).WithDisplayName($"Converge: {pattern} takes only {allowed}").WithOrder(LowestOrder);

    private static Task NotFoundAsync(HttpContext context) =>
        Problems.WriteAsync(context, StatusCodes.Status404NotFound, ProblemCodes.NotFound, "There is no such Converge endpoint; see /v1/streams/{stream}/push, pull, limits, snapshot, snapshots/{digest} and watch.");
}
