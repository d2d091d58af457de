using Converge.Client.Transport;
using Converge.Core;
using Converge.Core.Errors;
using Converge.Core.Protocol;
using Converge.Testing;

namespace Converge.Client.Tests.Sync;

/// <summary>Each way an exchange fails is its own exception, naming the server, the exchange and the problem's code.</summary>
public sealed class HttpSyncTransportErrorTests
{
    private const string Problem = "application/problem+json";

    [Fact]
    public async Task Pull_NothingListens_ServerUnreachableNamingTheServerAndThePull()
    {
        var server = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        using var transport = Connect(server);

        var error = await Should.ThrowAsync<ServerUnreachableException>(() => transport.PullAsync(0, 10));

        error.Server.ShouldBe(server);
        error.Operation.ShouldBe("pull");
        error.StatusCode.ShouldBeNull();
        error.IsPermanent.ShouldBeFalse();
        error.InnerException.ShouldBeOfType<HttpRequestException>();
    }

    [Fact]
    public async Task Push_JsonThatIsNotTheProtocol_ServerProtocolException()
    {
        await using var foreign = await ForeignServer.StartAsync(200, "application/json", "[1, 2, 3]");
        using var transport = Connect(new Uri(foreign.Address));

        var error = await Should.ThrowAsync<ServerProtocolException>(() => transport.PushAsync(EmptyPush()));

        error.Operation.ShouldBe("push");
        error.Message.ShouldContain("is not the protocol's");
        error.InnerException.ShouldBeOfType<System.Text.Json.JsonException>();
    }

    [Fact]
    public async Task Pull_WrongToken_ServerRefusedPermanently_WithTheCode()
    {
        await using var world = await SyncWorld.StartAsync();
        using var transport = Connect(world.Host.BaseAddress, token: "not-a-token");

        var error = await Should.ThrowAsync<ServerRefusedException>(() => transport.PullAsync(0, 10));

        error.StatusCode.ShouldBe(401);
        error.Code.ShouldBe(ProblemCodes.Unauthorized);
        error.IsPermanent.ShouldBeTrue();
        error.Operation.ShouldBe("pull");
    }

    [Theory]
    [InlineData(400, ProblemCodes.InvalidBody)]
    [InlineData(408, ProblemCodes.RequestTimeout)]
    [InlineData(503, ProblemCodes.Unavailable)]
    public async Task Push_ProblemOfTheWayOrTheServer_ServerUnreachable_WithStatusAndCode(int status, string code)
    {
        await using var foreign = await ForeignServer.StartAsync(status, Problem, $$"""{"status":{{status}},"code":"{{code}}","detail":"simulated"}""");
        using var transport = Connect(new Uri(foreign.Address));

        var error = await Should.ThrowAsync<ServerUnreachableException>(() => transport.PushAsync(EmptyPush()));

        error.StatusCode.ShouldBe(status);
        error.Code.ShouldBe(code);
        error.IsPermanent.ShouldBeFalse();
    }

    [Fact]
    public async Task Push_RefusedForOneAction_ServerRefusedNamingTheAction()
    {
        await using var foreign = await ForeignServer.StartAsync(400, Problem, $$"""{"status":400,"code":"{{RejectionCodes.InvalidAction}}","detail":"Action 1: no.","actionIndex":1}""");
        using var transport = Connect(new Uri(foreign.Address));

        var error = await Should.ThrowAsync<ServerRefusedException>(() => transport.PushAsync(EmptyPush()));

        error.StatusCode.ShouldBe(400);
        error.Code.ShouldBe(RejectionCodes.InvalidAction);
        error.ActionIndex.ShouldBe(1);
        error.IsPermanent.ShouldBeFalse();
    }

    private static HttpSyncTransport Connect(Uri server, string token = "t") =>
        new(new HttpSyncTransportOptions { Server = server, Stream = SyncWorld.Stream, Token = token, ClientId = Guid.CreateVersion7() });

    private static PushRequest EmptyPush() => new() { ClientId = Guid.CreateVersion7().ToString("D"), Actions = [] };
}
