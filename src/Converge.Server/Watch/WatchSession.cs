using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Converge.Core.Protocol;
using Converge.Server.Diagnostics;
using Converge.Server.Hosting;

namespace Converge.Server.Watch;

/// <summary>
/// One accepted watch socket: sends each new head, reads (and ignores) what the client sends, is dropped when it reads
/// too slowly, and closes with 1001 (going away) when the application stops, so the host never waits for it.
/// </summary>
internal sealed class WatchSession : IDisposable
{
    private const string ShuttingDown = "server shutting down";

    private readonly ConvergeServer _server;
    private readonly string _stream;
    private readonly WebSocket _socket;
    private readonly CancellationToken _stopping;
    private readonly Channel<long> _heads;

    // Cancelled once the watcher is gone: it left, its connection broke, or it was dropped. Cancelling a socket
    // operation aborts the socket, so only this token reaches sends and receives; shutdown only stops the waiting.
    private readonly CancellationTokenSource _gone;

    // 1 once the watcher was dropped or its watch ended: a later full buffer is no drop to log or count.
    private int _over;

    public WatchSession(ConvergeServer server, string stream, WebSocket socket, CancellationToken aborted, CancellationToken stopping)
    {
        _server = server;
        _stream = stream;
        _socket = socket;
        _stopping = stopping;
        _heads = Channel.CreateBounded<long>(new BoundedChannelOptions(server.Options.WatchBufferSize) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _gone = CancellationTokenSource.CreateLinkedTokenSource(aborted);
    }

    public async Task RunAsync()
    {
        using var subscription = _server.Heads.Subscribe(_stream, OnHead);
        _server.Metrics.Watcher(+1);
        try
        {
            var current = await _server.Store.ReadAsync(_stream, long.MaxValue, 1, _gone.Token).ConfigureAwait(false);
            _heads.Writer.TryWrite(current.Head);
            var receiving = ReceiveAsync();
            await SendAsync().ConfigureAwait(false);
            if (_stopping.IsCancellationRequested && !_gone.IsCancellationRequested)
            {
                await CloseAsync(receiving).ConfigureAwait(false);
            }

            await _gone.CancelAsync().ConfigureAwait(false);
            await receiving.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_gone.IsCancellationRequested)
        {
            // The watcher left before its first head.
        }
        finally
        {
            Interlocked.Exchange(ref _over, 1);
            _server.Metrics.Watcher(-1);
            if (_socket.State != WebSocketState.Closed)
            {
                _socket.Abort();
            }
        }
    }

    public void Dispose() => _gone.Dispose();

    /// <summary>Called on the publisher's thread: must not block.</summary>
    private void OnHead(long head)
    {
        if (!_heads.Writer.TryWrite(head))
        {
            Drop(WatchDropReasons.Overflow);
        }
    }

    /// <summary>Drops the watcher once, whichever reason comes first: logged and counted with that reason.</summary>
    private void Drop(string reason)
    {
        if (Interlocked.Exchange(ref _over, 1) != 0)
        {
            return;
        }

        _server.Metrics.WatchersDropped.Add(1, new KeyValuePair<string, object?>("reason", reason));
        ServerLog.WatcherDropped(_server.Logger, _stream, reason);
        _heads.Writer.TryComplete();
        try
        {
            // On the thread pool: aborting the socket is no work for the pushing request that published.
            _ = _gone.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The watcher already left.
        }
    }

    /// <summary>Sends heads until the watcher is gone or dropped, or the application stops.</summary>
    private async Task SendAsync()
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(_gone.Token, _stopping);
        long sent = -1;
        try
        {
            while (await _heads.Reader.WaitToReadAsync(wake.Token).ConfigureAwait(false))
            {
                while (!wake.IsCancellationRequested && _heads.Reader.TryRead(out var head))
                {
                    if (head <= sent)
                    {
                        continue;
                    }

                    if (!await TrySendAsync(head).ConfigureAwait(false))
                    {
                        return;
                    }

                    sent = head;
                }
            }
        }
        catch (OperationCanceledException) when (wake.IsCancellationRequested)
        {
            // Stopping, or the watcher is gone.
        }
    }

    private async Task<bool> TrySendAsync(long head)
    {
        var message = JsonSerializer.SerializeToUtf8Bytes(new WatchMessage { Head = head }, ConvergeJsonContext.Default.WatchMessage);
        using var deadline = new SocketDeadline(_server.Options.WatchSendTimeout, _gone.Token);
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            if (deadline.Expired)
            {
                Drop(WatchDropReasons.SendTimeout);
            }

            return false;
        }
    }

    /// <summary>Reads (and ignores) what the client sends, so a close from its side ends the watch; then the sender stops too.</summary>
    private async Task ReceiveAsync()
    {
        var buffer = new byte[256];
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(buffer, _gone.Token).ConfigureAwait(false);
                if (received.MessageType != WebSocketMessageType.Close)
                {
                    continue;
                }

                if (_socket.State == WebSocketState.CloseReceived)
                {
                    // The client closed first: answer its close (when the server closed first, this was the answer).
                    using var deadline = new SocketDeadline(_server.Options.WatchSendTimeout, _gone.Token);
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", deadline.Token).ConfigureAwait(false);
                }

                return;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The connection is gone either way.
        }
        finally
        {
            await _gone.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Closes as going away and waits for the client's close, at most the send timeout for each.</summary>
    private async Task CloseAsync(Task receiving)
    {
        using var deadline = new SocketDeadline(_server.Options.WatchSendTimeout, _gone.Token);
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, ShuttingDown, deadline.Token).ConfigureAwait(false);
            await receiving.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // A client that does not answer the close in time is cut off.
        }
    }
}
