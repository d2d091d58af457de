using Converge.Core;
using Converge.Server.Endpoints;
using Converge.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Converge.Server.Watch;

/// <summary>
/// <c>GET /v1/streams/{stream}/watch</c>: a WebSocket that gets <c>{"head": n}</c> on connect and whenever the log grows.
/// Each socket has a bounded buffer; a watcher that falls that far behind is dropped, never buffered without end.
/// When the application stops, each socket is closed with 1001 (going away).
/// </summary>
internal static class WatchEndpoint
{
    public static async Task HandleAsync(HttpContext context, string stream)
    {
        var server = context.RequestServices.GetRequiredService<ConvergeServer>();
        if (await StreamAccess.AuthorizeAsync(context, server, stream).ConfigureAwait(false) is null)
        {
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, ProblemCodes.WebSocketRequired, "Watch is a WebSocket: connect with an upgrade request.").ConfigureAwait(false);
            return;
        }

        var stopping = context.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var session = new WatchSession(server, stream, socket, context.RequestAborted, stopping);
        await session.RunAsync().ConfigureAwait(false);
    }
}
