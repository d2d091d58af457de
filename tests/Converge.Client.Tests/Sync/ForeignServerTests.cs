using Converge.Client.Lifecycle;
using Converge.Client.Transport;
using Converge.Core.Errors;
using Converge.Core.Protocol;
using Converge.Testing;
using Microsoft.AspNetCore.Http;

namespace Converge.Client.Tests.Sync;

/// <summary>
/// Syncing with a server that is not Converge: a clear failure, never a refusal of the user's writes; and through a proxy
/// that answers for it (a 413 or a 502 page), whose status still takes its usual path.
/// </summary>
public sealed class ForeignServerTests
{
    private const string Notes = """{"note":{"fields":{"text":{"type":"string"}}}}""";

    private const string NginxTooLarge = "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

    private static readonly HttpClient Forwarder = new() { Timeout = TimeSpan.FromSeconds(60) };

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

    [Theory]
    [InlineData(413)]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Push_ProxyAnswersHtml_WithAStatusOfTheWay_KeepsTheStatus(int status)
    {
        await using var foreign = await ForeignServer.StartAsync(status, "text/html", NginxTooLarge);
        using var transport = new HttpSyncTransport(new HttpSyncTransportOptions { Server = new Uri(foreign.Address), Stream = "team", Token = "t", ClientId = Guid.CreateVersion7() });

        var error = await Should.ThrowAsync<TransportException>(() => transport.PushAsync(new PushRequest { ClientId = Guid.CreateVersion7().ToString("D"), Actions = [] }));

        error.StatusCode.ShouldBe(status);
        error.Message.ShouldContain($"{status} text/html");
        error.IsPermanent.ShouldBeFalse();
        if (status == 413)
        {
            error.Code.ShouldBe("body_too_large");
            error.Message.ShouldContain("proxy");
        }
    }

    [Fact]
    public async Task Sync_ProxyWithASmallerBodyLimitAnswers413Html_TheBatchIsSplitUntilItPasses()
    {
        await using var world = await SyncWorld.StartAsync();
        await using var proxy = await StartProxyAsync(world.Host.BaseAddress, bodyLimit: 4 * 1024);
        var replica = await world.OpenAsync("one", configure: o => o.Server = new Uri(proxy.Address));
        var writes = new List<LocalWrite> { await replica.DefineSchemaAsync(SyncWorld.Schema(Notes)) };
        for (var i = 0; i < 40; i++)
        {
            writes.Add(await replica.CreateAsync("note", Json.Parse($$"""{"text":"{{new string('n', 100)}} {{i}}"}""")));
        }

        await replica.SyncAsync();

        foreach (var write in writes)
        {
            (await replica.GetActionStateAsync(write.ActionId)).Status.ShouldBe(ActionStatus.Confirmed);
        }

        (await replica.GetRejectionsAsync()).ShouldBeEmpty();
        (await replica.ExportAsync()).ShouldBe(await world.ServerExportAsync());
    }

    [Fact]
    public async Task Sync_ProxyRefusesALoneActionAs413Html_ItIsRejectedAsTooLarge_AndTheQueueMovesOn()
    {
        await using var world = await SyncWorld.StartAsync();
        await using var proxy = await StartProxyAsync(world.Host.BaseAddress, bodyLimit: 4 * 1024);
        var replica = await world.OpenAsync("one", configure: o => o.Server = new Uri(proxy.Address));
        var schema = await replica.DefineSchemaAsync(SyncWorld.Schema(Notes));
        await replica.SyncAsync();
        var big = await replica.CreateAsync("note", Json.Parse($$"""{"text":"{{new string('b', 8 * 1024)}}"}"""));
        var small = await replica.CreateAsync("note", Json.Parse("""{"text":"small"}"""));

        await replica.SyncAsync();

        var rejected = (await replica.GetRejectionsAsync()).ShouldHaveSingleItem();
        rejected.Action.Id.ShouldBe(big.ActionId);
        rejected.Code.ShouldBe("body_too_large");
        rejected.Message.ShouldContain("proxy");
        (await replica.GetActionStateAsync(small.ActionId)).Status.ShouldBe(ActionStatus.Confirmed);
        (await replica.GetActionStateAsync(schema.ActionId)).Status.ShouldBe(ActionStatus.Confirmed);
        (await replica.GetStatusAsync()).Pending.ShouldBe(0);
    }

    /// <summary>A reverse proxy in front of <paramref name="target"/> that refuses bodies over its limit as nginx does: 413 with an HTML page.</summary>
    private static Task<ForeignServer> StartProxyAsync(Uri target, int bodyLimit) =>
        ForeignServer.StartAsync(async context =>
        {
            var request = context.Request;
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            if (body.Length > bodyLimit)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync(NginxTooLarge);
                return;
            }

            using var forward = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(target, request.Path + request.QueryString));
            forward.Headers.TryAddWithoutValidation("Authorization", request.Headers.Authorization.ToString());
            if (HttpMethods.IsPost(request.Method))
            {
                forward.Content = new ByteArrayContent(body.ToArray());
                forward.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }

            using var answer = await Forwarder.SendAsync(forward);
            context.Response.StatusCode = (int)answer.StatusCode;
            context.Response.ContentType = answer.Content.Headers.ContentType?.ToString();
            await answer.Content.CopyToAsync(context.Response.Body);
        });
}
