using System.Text.Json;
using Converge.Core;
using Converge.Server.Endpoints;
using Converge.Server.Pull;
using Converge.Server.Push;
using Converge.Server.Snapshots;
using Converge.Server.Watch;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Converge.Server.Hosting;

/// <summary>Maps the sync protocol: <c>app.MapConverge()</c>, or <c>app.MapGroup("/sync").MapConverge()</c>.</summary>
public static class ConvergeEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>/v1/streams/{stream}/push</c>, <c>pull</c>, <c>limits</c>, <c>snapshot</c>, <c>snapshots/{digest}</c>, <c>watch</c> and
    /// <c>/healthz</c>, under the prefix of <paramref name="endpoints"/> when it is a group. Nothing is added to the app's
    /// pipeline: each endpoint answers its own unexpected faults (problem+json 500 <c>internal_error</c>) and the watch
    /// endpoint accepts WebSockets itself, so the app's exception handling and middleware stay its own.
    /// </summary>
    /// <returns>A builder whose conventions (such as <c>RequireAuthorization</c>) apply to every endpoint mapped here.</returns>
    public static ConvergeEndpointConventionBuilder MapConverge(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var server = endpoints.ServiceProvider.GetRequiredService<ConvergeServer>();
        var converge = endpoints.MapGroup("");
        ((IEndpointConventionBuilder)converge).Finally(EndpointFaults.Guard);
        var streams = converge.MapGroup("/v1/streams/{stream}");
        streams.MapPost("/push", PushEndpoint.HandleAsync);
        streams.MapGet("/pull", PullEndpoint.HandleAsync);
        streams.MapGet("/limits", LimitsEndpoint.HandleAsync);
        streams.MapGet("/snapshot", SnapshotEndpoints.LatestAsync);
        streams.MapGet("/snapshots/{digest}", SnapshotEndpoints.BodyAsync);
        streams.Map("/watch", WatchEndpoint.HandleAsync).Finally(AcceptWebSockets(server, endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>()));
        converge.MapGet("/healthz", HealthAsync);
        RouteProblems.Map(converge, streams);
        return new ConvergeEndpointConventionBuilder(converge);
    }

    /// <summary>
    /// Runs ASP.NET Core's WebSocket middleware in front of the watch endpoint only (with the watch keep-alive), instead of
    /// app-wide: <c>MapConverge</c> works on a group, where it cannot add middleware, and leaves the app's pipeline alone.
    /// </summary>
    private static Action<EndpointBuilder> AcceptWebSockets(ConvergeServer server, ILoggerFactory loggers) => endpoint =>
    {
        var options = new WebSocketOptions { KeepAliveInterval = server.Options.WatchKeepAlive, KeepAliveTimeout = server.Options.WatchKeepAlive * 2 };
        endpoint.RequestDelegate = new WebSocketMiddleware(endpoint.RequestDelegate!, Microsoft.Extensions.Options.Options.Create(options), loggers).Invoke;
    };

    private static async Task HealthAsync(HttpContext context)
    {
        var server = context.RequestServices.GetRequiredService<ConvergeServer>();
        bool healthy;
        try
        {
            healthy = await server.Store.PingAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            healthy = false;
        }

        if (!healthy)
        {
            await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemCodes.Unavailable, "The store does not answer.").ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new HealthDocument { Status = "ok", ServerTime = server.Time.GetUtcNow() }, ServerJsonContext.Default.HealthDocument, context.RequestAborted).ConfigureAwait(false);
    }
}
