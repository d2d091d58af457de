using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Converge.Core.Protocol;
using Converge.Server.Diagnostics;
using Converge.Server.Endpoints;
using Converge.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Converge.Server.Watch;

/// <summary>
/// <c>GET /v1/streams/{stream}/watch</c>: a WebSocket that gets <c>{"head": n}</c> on connect and whenever the log grows.
/// Each socket has a bounded buffer; a watcher that falls that far behind is dropped, never buffered without end.
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

        var heads = Channel.CreateBounded<long>(new BoundedChannelOptions(server.Options.WatchBufferSize) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var dropped = 0;
        using var subscription = server.Heads.Subscribe(stream, head =>
        {
            if (!heads.Writer.TryWrite(head) && Interlocked.Exchange(ref dropped, 1) == 0)
            {
                server.Metrics.WatchersDropped.Add(1);
                ServerLog.WatcherDropped(server.Logger, stream);
                heads.Writer.TryComplete();
                try
                {
                    stop.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The watcher already left.
                }
            }
        });
        server.Metrics.Watcher(+1);
        try
        {
            var current = await server.Store.ReadAsync(stream, long.MaxValue, 1, stop.Token).ConfigureAwait(false);
            heads.Writer.TryWrite(current.Head);
            var receiving = DrainAsync(socket, stop);
            await SendAsync(socket, heads.Reader, server.Options.WatchSendTimeout, stop.Token).ConfigureAwait(false);
            await receiving.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The watcher left, or was dropped for reading too slowly.
        }
        finally
        {
            server.Metrics.Watcher(-1);
            if (Volatile.Read(ref dropped) == 1 || socket.State == WebSocketState.Open)
            {
                socket.Abort();
            }
        }
    }

    private static async Task SendAsync(WebSocket socket, ChannelReader<long> heads, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long sent = -1;
        await foreach (var head in heads.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (head <= sent)
            {
                continue;
            }

            var message = JsonSerializer.SerializeToUtf8Bytes(new WatchMessage { Head = head }, ConvergeJsonContext.Default.WatchMessage);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, deadline.Token).ConfigureAwait(false);
            sent = head;
        }
    }

    /// <summary>Reads (and ignores) what the client sends, so a close from its side ends the watch.</summary>
    private static async Task DrainAsync(WebSocket socket, CancellationTokenSource stop)
    {
        var buffer = new byte[256];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var received = await socket.ReceiveAsync(buffer, stop.Token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).ConfigureAwait(false);
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The connection is gone either way.
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }
}
