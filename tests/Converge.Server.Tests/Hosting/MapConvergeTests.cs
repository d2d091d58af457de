using System.Net;
using System.Net.WebSockets;
using Converge.Client.Transport;
using Converge.Core.Actions;
using Converge.Core.Protocol;
using Converge.Server.Auth;
using Converge.Server.Hosting;
using Converge.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Converge.Server.Tests.Hosting;

/// <summary><c>MapConverge()</c> inside a host app: under a group prefix, with the app's policies, beside its own error handling.</summary>
public sealed class MapConvergeTests
{
    private const string HostHandled = "handled by the host";
    private const string HostFault = "planted fault in the host's own endpoint";

    [Fact]
    public async Task MapConverge_UnderAGroupPrefix_ServesPushPullSnapshotAndWatchToTheClientTransport()
    {
        await using var host = await HostApp.StartAsync(app => app.MapGroup("/sync").MapConverge());
        var token = await host.TokenAsync("alice", "team");
        var clientId = Guid.CreateVersion7();
        // The base address as a user writes it, without a trailing slash: the prefix must not be dropped.
        using var transport = new HttpSyncTransport(new HttpSyncTransportOptions { Server = new Uri(host.BaseAddress, "sync"), Stream = "team", Token = token, ClientId = clientId });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var watch = transport.WatchAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        (await watch.MoveNextAsync()).ShouldBeTrue();
        watch.Current.ShouldBe(0);

        var writer = new ActionFactory(new Core.Clock.HybridClock(TimeProvider.System, new Core.Clock.NodeId(7)));
        var push = await transport.PushAsync(new PushRequest { ClientId = clientId.ToString("D"), Actions = [ActionCodec.Encode(writer.Schema(ServerFixture.Schema))] });
        push.Value.Head.ShouldBe(1);
        (await watch.MoveNextAsync()).ShouldBeTrue();
        watch.Current.ShouldBe(1);
        var pull = await transport.PullAsync(0, 100);
        pull.Value.Response.ShouldNotBeNull().Actions.Count.ShouldBe(1);

        await host.App.Services.GetRequiredService<ConvergeMaintenance>().RunOnceAsync(forceSnapshot: true);
        var snapshot = (await transport.GetSnapshotAsync()).Value.ShouldNotBeNull();
        snapshot.Index.ShouldBe(1);
        await using (var body = await transport.OpenSnapshotAsync(snapshot))
        {
            (body.ReadByte(), body.ReadByte()).ShouldBe((0x1f, 0x8b));
        }

        using var client = host.Client(token);
        (await client.GetAsync("/v1/streams/team/pull?after=0")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task MapConverge_RequireAuthorization_TheHostsPolicyDecidesBeforeConverge()
    {
        await using var host = await HostApp.StartAsync(
            app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapConverge().RequireAuthorization("sync-users");
            },
            builder =>
            {
                builder.Services.AddAuthentication(RoleHeaderAuthenticationHandler.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, RoleHeaderAuthenticationHandler>(RoleHeaderAuthenticationHandler.SchemeName, null);
                builder.Services.AddAuthorization(o => o.AddPolicy("sync-users", p => p.RequireRole("sync")));
            });
        var token = await host.TokenAsync("alice", "team");
        using var client = host.Client(token);

        (await PullAsRoleAsync(client, null)).ShouldBe(HttpStatusCode.Unauthorized);
        (await PullAsRoleAsync(client, "guest")).ShouldBe(HttpStatusCode.Forbidden);
        (await PullAsRoleAsync(client, "sync")).ShouldBe(HttpStatusCode.OK);
        using var refused = new ClientWebSocket();
        refused.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        refused.Options.SetRequestHeader("X-Role", "guest");
        refused.Options.CollectHttpResponseDetails = true;
        await Should.ThrowAsync<WebSocketException>(() => refused.ConnectAsync(new Uri(host.BaseAddress, "/v1/streams/team/watch").ToWs(), CancellationToken.None));
        refused.HttpStatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task MapConverge_AHostWithItsOwnExceptionHandler_StillHandlesFaultsOfItsOwnEndpoints()
    {
        await using var host = await HostApp.StartAsync(app =>
        {
            app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = HandleAsHostAsync });
            app.MapGet("/boom", (Func<string>)(() => throw new InvalidOperationException(HostFault)));
            app.MapConverge();
        });
        using var client = host.Client();

        using var response = await client.GetAsync("/boom");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await response.Content.ReadAsStringAsync()).ShouldBe(HostHandled);
    }

    [Fact]
    public async Task MapConverge_AHostWithTheDeveloperExceptionPage_StillShowsItForItsOwnEndpoints()
    {
        await using var host = await HostApp.StartAsync(app =>
        {
            app.UseDeveloperExceptionPage();
            app.MapGet("/boom", (Func<string>)(() => throw new InvalidOperationException(HostFault)));
            app.MapConverge();
        });
        using var client = host.Client();

        using var response = await client.GetAsync("/boom");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        response.Content.Headers.ContentType?.MediaType.ShouldNotBe("application/problem+json");
        (await response.Content.ReadAsStringAsync()).ShouldContain(HostFault);
    }

    [Fact]
    public async Task MapConverge_AFaultInsideConvergeUnderAPrefix_AnswersProblemJson500InternalErrorAndLogsIt()
    {
        await using var host = await HostApp.StartAsync(
            app =>
            {
                app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = HandleAsHostAsync });
                app.MapGroup("/sync").MapConverge();
            },
            builder => builder.Services.AddSingleton<IConvergeAuthenticator, FaultyAuthenticator>());
        using var client = host.Client("any-token");

        using var response = await client.GetAsync("/sync/v1/streams/team/pull?after=0");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await Wire.ProblemCodeAsync(response)).ShouldBe("internal_error");
        host.Logs.Entries.ShouldContain(e => e.EventId == 8 && e.Exception is InvalidOperationException && e.Exception.Message == FaultyAuthenticator.Message);
    }

    private static async Task<HttpStatusCode> PullAsRoleAsync(HttpClient client, string? role)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/streams/team/pull?after=0");
        if (role is not null)
        {
            request.Headers.Add("X-Role", role);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task HandleAsHostAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(HostHandled);
    }
}
