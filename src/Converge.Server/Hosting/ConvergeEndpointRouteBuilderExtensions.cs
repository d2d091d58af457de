using System.Text.Json;
using Converge.Core;
using Converge.Server.Endpoints;
using Converge.Server.Hosting;
using Converge.Server.Pull;
using Converge.Server.Push;
using Converge.Server.Snapshots;
using Converge.Server.Watch;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Where ASP.NET Core's own Map* extensions live, so `app.MapConverge()` needs no using of Converge's.
namespace Microsoft.AspNetCore.Builder;

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
        if (endpoints.ServiceProvider.GetService<IServiceProviderIsService>()?.IsService(typeof(ConvergeServer)) == false)
        {
            throw new InvalidOperationException("MapConverge needs the server's services: call services.AddConvergeServer() first.");
        }

        var converge = endpoints.MapGroup("");
        ((IEndpointConventionBuilder)converge).Finally(EndpointFaults.Guard);
        var streams = converge.MapGroup("/v1/streams/{stream}");
        // Request delegates, not handlers bound by reflection, so the server works trimmed and AOT-compiled.
        streams.MapPost("/push", context => PushEndpoint.HandleAsync(context, Route(context, "stream")));
        streams.MapGet("/pull", context => PullEndpoint.HandleAsync(context, Route(context, "stream")));
        streams.MapGet("/limits", context => LimitsEndpoint.HandleAsync(context, Route(context, "stream")));
        streams.MapGet("/snapshot", context => SnapshotEndpoints.LatestAsync(context, Route(context, "stream")));
        streams.MapGet("/snapshots/{digest}", context => SnapshotEndpoints.BodyAsync(context, Route(context, "stream"), Route(context, "digest")));
        streams.Map("/watch", context => WatchEndpoint.HandleAsync(context, Route(context, "stream"))).Finally(AcceptWebSockets(endpoints.ServiceProvider));
        converge.MapGet("/healthz", HealthAsync);
        RouteProblems.Map(converge, streams);
        return new ConvergeEndpointConventionBuilder(converge);
    }

    /// <summary>
    /// Runs ASP.NET Core's WebSocket middleware in front of the watch endpoint only (with the watch keep-alive), instead of
    /// app-wide: <c>MapConverge</c> works on a group, where it cannot add middleware, and leaves the app's pipeline alone.
    /// </summary>
    /// <remarks>Made on the first watch request, so mapping reads no option: options out of range fail the host's start, all named.</remarks>
    private static Action<EndpointBuilder> AcceptWebSockets(IServiceProvider services) => endpoint =>
    {
        var inner = endpoint.RequestDelegate!;
        var middleware = new Lazy<RequestDelegate>(() =>
        {
            var keepAlive = services.GetRequiredService<ConvergeServer>().Options.WatchKeepAlive;
            var options = new WebSocketOptions { KeepAliveInterval = keepAlive, KeepAliveTimeout = keepAlive * 2 };
            return new WebSocketMiddleware(inner, Microsoft.Extensions.Options.Options.Create(options), services.GetRequiredService<ILoggerFactory>()).Invoke;
        });
        endpoint.RequestDelegate = context => middleware.Value(context);
    };

    private static string Route(HttpContext context, string name) => (string)context.Request.RouteValues[name]!;

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
