using System.Net;
using System.Text.Json;
using Converge.Core.Protocol;
using Converge.Testing;

namespace Converge.Server.Tests.Storage;

/// <summary>A client id belongs to the principal that first used it on a stream: nobody else pushes or pulls under it.</summary>
public sealed class ClientRegistryTests
{
    // The registry is written every hour here, so a refusal cannot rely on what a flush wrote.
    private static readonly Action<Converge.Server.Hosting.ConvergeServerOptions> SlowFlush = o => o.RegistryFlushInterval = TimeSpan.FromHours(1);

    [Fact]
    public async Task Push_UnderAClientIdAnotherPrincipalUsed_IsClientIdTakenAndAppliesNothing()
    {
        await using var f = await ServerFixture.StartAsync(SlowFlush);
        using var bob = f.Host.Client(await f.Host.TokenAsync("bob", ServerFixture.Stream));
        var head = await f.HeadAsync();
        var create = f.Writer.Create("person", """{"name":"from bob"}""");

        using var response = await Wire.PushRawAsync(bob, ServerFixture.Stream, Wire.PushBody(f.ClientId, create));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Wire.ProblemCodeAsync(response)).ShouldBe("client_id_taken");
        (await f.HeadAsync()).ShouldBe(head);
        (await f.PushAsync(f.Writer.Create("person", """{"name":"from alice"}"""))).Results[0].Status.ShouldBe("accepted");
        // Nothing of the refused push was remembered: the same action under bob's own id is new.
        (await Wire.PushAsync(bob, ServerFixture.Stream, Guid.CreateVersion7(), create)).Results[0].Status.ShouldBe("accepted");
        await f.Host.Maintenance.RunOnceAsync();
        (await f.Host.Store.ListClientsAsync(ServerFixture.Stream)).Single(c => c.ClientId == f.ClientId).Principal.ShouldBe("alice");
    }

    [Fact]
    public async Task Pull_NamingAClientIdAnotherPrincipalUsed_IsClientIdTakenAndMovesNotItsCursor()
    {
        await using var f = await ServerFixture.StartAsync(SlowFlush);
        for (var i = 0; i < 4; i++)
        {
            await f.PushAsync(f.Writer.Create("person", "{}"));
        }

        using var bob = f.Host.Client(await f.Host.TokenAsync("bob", ServerFixture.Stream));
        using (var alice = await PullAsync(f.Client, 2, f.ClientId))
        {
            alice.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        foreach (var after in new[] { 5, 99 })
        {
            using var response = await PullAsync(bob, after, f.ClientId);
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await Wire.ProblemCodeAsync(response)).ShouldBe("client_id_taken");
        }

        // Had bob's cursor counted, compaction would drop entries 3 to 5, which alice still needs.
        await f.Host.Maintenance.RunOnceAsync(forceSnapshot: true);
        (await f.Host.Store.ListClientsAsync(ServerFixture.Stream)).Single(c => c.ClientId == f.ClientId).Cursor.ShouldBe(2);
        using var again = await PullAsync(f.Client, 2, f.ClientId);
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = JsonSerializer.Deserialize(await again.Content.ReadAsStringAsync(), ConvergeJsonContext.Default.PullResponse)!;
        page.Actions.Select(a => a.Index).ShouldBe([3L, 4L, 5L]);
    }

    [Fact]
    public async Task ClientId_BoundBeforeARestart_StaysItsPrincipals()
    {
        using var directory = new TempDirectory();
        var database = directory.File("server.db");
        var client = Guid.CreateVersion7();
        var writer = new ActionFactory(new Core.Clock.HybridClock(TimeProvider.System, new Core.Clock.NodeId(7)));
        string bobToken;
        await using (var host = await ServerHost.StartAsync(SlowFlush, databasePath: database))
        {
            bobToken = await host.TokenAsync("bob", "s");
            using var alice = host.Client(await host.TokenAsync("alice", "s"));
            await Wire.PushAsync(alice, "s", client, writer.Schema(ServerFixture.Schema));
        }

        await using var restarted = await ServerHost.StartAsync(SlowFlush, databasePath: database);
        using var bob = restarted.Client(bobToken);

        using var pushed = await Wire.PushRawAsync(bob, "s", Wire.PushBody(client, writer.Create("person", "{}")));
        using var pulled = await PullAsync(bob, 0, client, "s");

        (await Wire.ProblemCodeAsync(pushed)).ShouldBe("client_id_taken");
        (await Wire.ProblemCodeAsync(pulled)).ShouldBe("client_id_taken");
        (await restarted.Store.ReadAsync("s", 0, 10)).Head.ShouldBe(1);
    }

    private static Task<HttpResponseMessage> PullAsync(HttpClient client, long after, Guid clientId, string stream = ServerFixture.Stream) =>
        client.GetAsync($"/v1/streams/{stream}/pull?after={after}&client={clientId:D}");
}
