using System.Text.Json;
using Converge.Server.Diagnostics;
using Converge.Server.Endpoints;
using Converge.Server.Pull;
using Converge.Server.Push;
using Converge.Server.Snapshots;
using Converge.Server.Watch;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Converge.Server.Hosting;

/// <summary>Maps the sync protocol: <c>app.MapConverge()</c>.</summary>
public static class ConvergeEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>/v1/streams/{stream}/push</c>, <c>pull</c>, <c>snapshot</c>, <c>snapshots/{digest}</c>, <c>watch</c> and
    /// <c>/healthz</c>; on a <see cref="WebApplication"/> it also adds the WebSocket middleware and a problem+json
    /// answer for unexpected faults.
    /// </summary>
    public static IEndpointRouteBuilder MapConverge(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var server = endpoints.ServiceProvider.GetRequiredService<ConvergeServer>();
        if (endpoints is IApplicationBuilder app)
        {
            app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = HandleFaultAsync });
            app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = server.Options.WatchKeepAlive, KeepAliveTimeout = server.Options.WatchKeepAlive * 2 });
        }

        var streams = endpoints.MapGroup("/v1/streams/{stream}");
        streams.MapPost("/push", PushEndpoint.HandleAsync);
        streams.MapGet("/pull", PullEndpoint.HandleAsync);
        streams.MapGet("/snapshot", SnapshotEndpoints.LatestAsync);
        streams.MapGet("/snapshots/{digest}", SnapshotEndpoints.BodyAsync);
        streams.Map("/watch", WatchEndpoint.HandleAsync);
        endpoints.MapGet("/healthz", HealthAsync);
        RouteProblems.Map(endpoints, streams);
        return endpoints;
    }

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

    private static async Task HandleFaultAsync(HttpContext context)
    {
        var fault = context.Features.Get<IExceptionHandlerFeature>();
        if (fault is not null && context.RequestServices.GetService<ConvergeServer>() is { } server)
        {
            ServerLog.Unhandled(server.Logger, fault.Error, context.Request.Path);
        }

        await Problems.WriteAsync(context, StatusCodes.Status500InternalServerError, ProblemCodes.InternalError, "The server failed unexpectedly. Retry: pushes are idempotent, so a retry never applies an action twice.").ConfigureAwait(false);
    }
}
