using System.Net.Sockets;
using System.Net.WebSockets;
using Converge.Server.Hosting;
using Converge.Server.Watch;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Converge.Server.Tests.Watch;

/// <summary>A watcher dropped for either reason (its buffer overflowed, a send timed out) is logged and counted with that reason.</summary>
public sealed class WatchDropTests
{
    [Fact]
    public async Task Watch_ASendOutlastsTheSendTimeout_DropsTheWatcherAndLogsAndCountsItAsSendTimeout()
    {
        const int publishes = 2_000_000;
        await using var host = await HostApp.StartAsync(app => app.MapConverge(), options: o =>
        {
            // Room for every head the test publishes: the buffer cannot overflow, so only a send timeout can drop it.
            o.WatchBufferSize = publishes + 1;
            o.WatchSendTimeout = TimeSpan.FromMilliseconds(500);
        });

        var (dropped, logged) = await DropAsync(host, publishes);

        dropped.Tags["reason"].ShouldBe("send_timeout");
        logged.Values["Reason"].ShouldBe("send_timeout");
    }

    [Fact]
    public async Task Watch_TheBufferOverflows_DropsTheWatcherAndLogsAndCountsItAsOverflow()
    {
        await using var host = await HostApp.StartAsync(app => app.MapConverge(), options: o =>
        {
            // No send times out within the test: only the buffer of 2 overflowing can drop it.
            o.WatchBufferSize = 2;
            o.WatchSendTimeout = TimeSpan.FromHours(1);
        });

        var (dropped, logged) = await DropAsync(host, 50_000_000);

        dropped.Tags["reason"].ShouldBe("overflow");
        logged.Values["Reason"].ShouldBe("overflow");
    }

    /// <summary>Connects a watcher that never reads and publishes heads (at most <paramref name="publishes"/>) until it is dropped.</summary>
    private static async Task<((long Value, IReadOnlyDictionary<string, object?> Tags) Dropped, LogEntry Logged)> DropAsync(HostApp host, int publishes)
    {
        using var metrics = new MetricCapture(host.App.Services);
        var token = await host.TokenAsync("alice", "team");
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler { ConnectCallback = SmallReceiveBufferAsync });
        using var socket = await host.WatchAsync(token, "/v1/streams/team/watch", invoker);
        (await socket.ReceiveAsync(new byte[256], new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token)).MessageType.ShouldBe(WebSocketMessageType.Text);
        var heads = host.App.Services.GetRequiredService<StreamHeads>();
        heads.Count.ShouldBe(1);

        for (long head = 1; head <= publishes; head++)
        {
            heads.Publish("team", head);
            if (head % 1000 == 0)
            {
                if (heads.Count == 0)
                {
                    break;
                }

                await Task.Yield();
            }
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (heads.Count > 0 && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20);
        }

        heads.Count.ShouldBe(0);
        var logged = host.Logs.Entries.Where(e => e.EventId == 6).ShouldHaveSingleItem();
        logged.Level.ShouldBe(LogLevel.Warning);
        var dropped = metrics.Of("converge.watchers.dropped").ShouldHaveSingleItem();
        dropped.Value.ShouldBe(1);
        return (dropped, logged);
    }

    /// <summary>A client socket with a small fixed receive buffer (no autotuning), so a watcher that never reads soon blocks the server's sends.</summary>
    private static async ValueTask<Stream> SmallReceiveBufferAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4096 };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
