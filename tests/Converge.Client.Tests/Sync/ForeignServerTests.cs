using Converge.Client.Lifecycle;
using Converge.Client.Transport;
using Converge.Core.Protocol;
using Converge.Testing;

namespace Converge.Client.Tests.Sync;

/// <summary>Syncing with a server that is not Converge: a clear failure, never a refusal of the user's writes.</summary>
public sealed class ForeignServerTests
{
    [Theory]
    [InlineData(200, "text/html")]
    [InlineData(400, "text/html")]
    [InlineData(404, "text/plain")]
    public async Task Push_ServerAnswersNotJson_TransportExceptionSayingSo_WithNoStatusToActOn(int status, string contentType)
    {
        await using var foreign = await ForeignServer.StartAsync(status, contentType, "<html><body>\n<h1>Not Converge</h1>\n</body></html>");
        using var transport = new HttpSyncTransport(new HttpSyncTransportOptions { Server = new Uri(foreign.Address), Stream = "team", Token = "t", ClientId = Guid.CreateVersion7() });

        var error = await Should.ThrowAsync<TransportException>(() => transport.PushAsync(new PushRequest { ClientId = Guid.CreateVersion7().ToString("D"), Actions = [] }));

        error.Message.ShouldBe($"{foreign.Address}/ is not a Converge server (it answered {status} {contentType}).");

        // A 400 read as Converge's would refuse the pushed batch, rejecting the user's writes.
        error.StatusCode.ShouldBeNull();
        error.IsPermanent.ShouldBeFalse();
    }

    [Fact]
    public async Task Sync_ServerAnswersHtml_FailsSayingSo_AndTheWriteStaysPending()
    {
        await using var foreign = await ForeignServer.StartAsync(404, "text/html", "<html><body>\n<h1>Not Found</h1>\n</body></html>");
        using var directory = new TempDirectory();
        await using var replica = Replica.Open(new ReplicaOptions { Path = directory.File("r.db"), Server = new Uri(foreign.Address), Stream = "team", Token = "t", Watch = false });
        await replica.DefineSchemaAsync(SyncWorld.Schema("""{"person":{"fields":{"name":{"type":"string"}}}}"""));
        var write = await replica.CreateAsync("person", Json.Parse("""{"name":"Ann"}"""));

        var error = await Should.ThrowAsync<TransportException>(() => replica.SyncAsync());

        error.Message.ShouldContain("is not a Converge server (it answered 404 text/html)");
        (await replica.GetActionStateAsync(write.ActionId)).Status.ShouldBe(ActionStatus.Pending);
    }
}
