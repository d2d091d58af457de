using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Converge.Server.Watch;
using Converge.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Converge.Server.Tests.Watch;

public sealed class WatchEndpointTests
{
    [Fact]
    public async Task Watch_TellsTheHeadOnConnectAndWheneverItGrows()
    {
        await using var f = await ServerFixture.StartAsync();
        using var socket = await ConnectAsync(f);

        (await ReceiveHeadAsync(socket)).ShouldBe(1);
        await f.PushAsync(f.Writer.Create("person", "{}"), f.Writer.Create("person", "{}"));
        (await ReceiveHeadAsync(socket)).ShouldBe(3);
        await f.PushAsync(f.Writer.Create("person", "{}"));
        (await ReceiveHeadAsync(socket)).ShouldBe(4);
    }

    [Fact]
    public async Task Watch_EveryWatcherOfTheStreamIsTold()
    {
        await using var f = await ServerFixture.StartAsync();
        using var first = await ConnectAsync(f);
        using var second = await ConnectAsync(f);
        await ReceiveHeadAsync(first);
        await ReceiveHeadAsync(second);

        await f.PushAsync(f.Writer.Create("person", "{}"));

        (await ReceiveHeadAsync(first)).ShouldBe(2);
        (await ReceiveHeadAsync(second)).ShouldBe(2);
    }

    [Fact]
    public async Task Watch_SlowReader_IsDroppedNotBufferedForever()
    {
        await using var f = await ServerFixture.StartAsync(o =>
        {
            o.WatchBufferSize = 2;
            o.WatchSendTimeout = TimeSpan.FromSeconds(2);
        });
        using var socket = await ConnectAsync(f);
        var heads = f.Host.App.Services.GetRequiredService<StreamHeads>();

        // The first message proves the watcher is subscribed.
        (await ReceiveHeadAsync(socket)).ShouldBe(1);
        heads.Count.ShouldBe(1);

        // The reader never reads: once the socket's buffers fill, notifications back up and it must be dropped.
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        for (long head = 2; heads.Count > 0 && elapsed.Elapsed < Eventually.Timeout; head++)
        {
            heads.Publish(ServerFixture.Stream, head);
            if (head % 10_000 == 0)
            {
                await Task.Delay(1);
            }
        }

        heads.Count.ShouldBe(0);
        await Should.ThrowAsync<Exception>(async () =>
        {
            var buffer = new byte[1 << 20];
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, Eventually.Token());
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    throw new WebSocketException("closed");
                }
            }
        });
    }

    private static async Task<ClientWebSocket> ConnectAsync(ServerFixture f)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {f.Token}");
        await socket.ConnectAsync(new Uri(f.Host.BaseAddress, $"/v1/streams/{ServerFixture.Stream}/watch").ToWs(), CancellationToken.None);
        return socket;
    }

    private static async Task<long> ReceiveHeadAsync(ClientWebSocket socket)
    {
        var buffer = new byte[256];
        var received = await socket.ReceiveAsync(buffer, Eventually.Token());
        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, received.Count));
        return document.RootElement.GetProperty("head").GetInt64();
    }
}
