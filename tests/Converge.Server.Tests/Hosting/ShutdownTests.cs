using System.Net.WebSockets;
using Converge.Server.Hosting;
using Converge.Server.Watch;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Converge.Server.Tests.Hosting;

/// <summary>A host app with Converge stops without waiting out its shutdown timeout for watch sockets.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task StopAsync_WithAWatcherConnected_ClosesItAsGoingAwayInsteadOfWaitingForTheShutdownTimeout()
    {
        // A shutdown timeout no test waits for: StopAsync returns only because the watch ends by itself.
        await using var host = await HostApp.StartAsync(
            app => app.MapConverge(),
            builder => builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(10)));
        var token = await host.TokenAsync("alice", "team");
        using var socket = await host.WatchAsync(token, "/v1/streams/team/watch");
        var buffer = new byte[256];
        (await socket.ReceiveAsync(buffer, Timeout())).MessageType.ShouldBe(WebSocketMessageType.Text);

        var stopping = host.App.StopAsync();
        var received = await socket.ReceiveAsync(buffer, Timeout());

        received.MessageType.ShouldBe(WebSocketMessageType.Close);
        socket.CloseStatus.ShouldBe(WebSocketCloseStatus.EndpointUnavailable);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        await stopping.WaitAsync(TimeSpan.FromSeconds(60));
        host.App.Services.GetRequiredService<StreamHeads>().Count.ShouldBe(0);
    }

    [Fact]
    public async Task StopAsync_WatcherUnderAPrefix_IsClosedAsGoingAwayToo()
    {
        await using var host = await HostApp.StartAsync(
            app => app.MapGroup("/sync").MapConverge(),
            builder => builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(10)));
        var token = await host.TokenAsync("alice", "team");
        using var socket = await host.WatchAsync(token, "/sync/v1/streams/team/watch");
        var buffer = new byte[256];
        (await socket.ReceiveAsync(buffer, Timeout())).MessageType.ShouldBe(WebSocketMessageType.Text);

        var stopping = host.App.StopAsync();

        (await socket.ReceiveAsync(buffer, Timeout())).MessageType.ShouldBe(WebSocketMessageType.Close);
        socket.CloseStatus.ShouldBe(WebSocketCloseStatus.EndpointUnavailable);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        await stopping.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
}
