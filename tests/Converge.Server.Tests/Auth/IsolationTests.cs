using System.Net;
using System.Net.WebSockets;
using Converge.Testing;

namespace Converge.Server.Tests.Auth;

public sealed class IsolationTests
{
    [Fact]
    public async Task CredentialForStreamA_GetsNotFoundOnStreamB_ForEveryEndpoint()
    {
        await using var f = await ServerFixture.StartAsync();
        var otherToken = await f.Host.TokenAsync("bob", "private");
        using var bob = f.Host.Client(otherToken);
        await Wire.PushAsync(bob, "private", Guid.CreateVersion7(), f.Writer.Schema(ServerFixture.Schema));
        await f.Host.Maintenance.RunOnceAsync(forceSnapshot: true);
        var digest = (await f.Host.Store.GetLatestSnapshotAsync("private"))!.Digest;

        foreach (var response in new[]
        {
            await Wire.PushRawAsync(f.Client, "private", Wire.PushBody(f.ClientId, f.Writer.Create("person", "{}"))),
            await f.Client.GetAsync("/v1/streams/private/pull?after=0"),
            await f.Client.GetAsync("/v1/streams/private/snapshot"),
            await f.Client.GetAsync($"/v1/streams/private/snapshots/{digest}"),
            await f.Client.GetAsync("/v1/streams/private/watch"),
        })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await Wire.ProblemCodeAsync(response)).ShouldBe("not_found");
        }

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {f.Token}");
        var refused = await Should.ThrowAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(f.Host.BaseAddress, "/v1/streams/private/watch").ToWs(), CancellationToken.None));
        refused.Message.ShouldContain("404");
        (await Wire.PullAsync(bob, "private", 1)).Head.ShouldBe(1);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer cvg_not-a-real-token")]
    [InlineData("Basic YWxpY2U6c2VjcmV0")]
    public async Task NoValidCredential_IsUnauthorized(string? authorization)
    {
        await using var f = await ServerFixture.StartAsync();
        using var client = f.Host.Client();
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        foreach (var response in new[]
        {
            await Wire.PushRawAsync(client, ServerFixture.Stream, Wire.PushBody(f.ClientId, f.Writer.Create("person", "{}"))),
            await client.GetAsync($"/v1/streams/{ServerFixture.Stream}/pull?after=0"),
            await client.GetAsync($"/v1/streams/{ServerFixture.Stream}/snapshot"),
            await client.GetAsync($"/v1/streams/{ServerFixture.Stream}/watch"),
        })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
            (await Wire.ProblemCodeAsync(response)).ShouldBe("unauthorized");
        }

        (await f.HeadAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task InvalidStreamName_IsNotFound()
    {
        await using var f = await ServerFixture.StartAsync();

        using var response = await f.Client.GetAsync("/v1/streams/no%20spaces/pull?after=0");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
