using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Converge.Client;
using Converge.Client.Transport;
using Converge.Core.Clock;
using Converge.Core.Errors;
using Converge.Core.Protocol;
using Converge.Server.Auth;
using Converge.Testing;

namespace Converge.Server.Postgres.Tests;

/// <summary>
/// Two `converge serve` processes on one PostgreSQL database: concurrent clients through both, a batch retried through
/// the other node after a lost reply, one node killed with SIGKILL and restarted, and a watcher on one node woken by
/// a push through the other.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class MultiNodeTests(PostgresFixture postgres)
{
    private const string Stream = "shared";
    private const string Schema = """{"item":{"fields":{"n":{"type":"long","counter":true},"label":{"type":"string"}}}}""";

    [Fact]
    public async Task TwoNodesOnOneDatabase_ConcurrentClientsAKilledNode_EveryAcknowledgedActionOnceNoGapsSameState()
    {
        var connection = await postgres.Cluster.CreateDatabaseAsync();
        string token;
        await using (var store = await PostgresConvergeStore.OpenAsync(connection))
        {
            token = await ConvergeCredentials.CreateAsync(store, "team", [Stream], TimeProvider.System);
        }

        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        using var nodeA = await ServerProcess.StartAsync(["--postgres", connection], portA);
        var nodeB = await ServerProcess.StartAsync(["--postgres", connection], portB);
        using var directory = new TempDirectory();
        var counter = Guid.CreateVersion7();
        var seed = Open(directory, "seed", nodeA.BaseAddress, token);
        await seed.DefineSchemaAsync(SchemaJson(Schema));
        await seed.CreateAsync("item", Json.Parse("""{"n":0,"label":"counter"}"""), counter);
        await seed.SyncAsync();

        // A batch pushed through A whose reply is lost, retried through B: the same indexes, each action once.
        var writer = new ActionFactory(new HybridClock(TimeProvider.System, new NodeId(77)));
        var batch = Enumerable.Range(0, 5).Select(i => (Core.Actions.ConvergeAction)writer.Increment("item", counter, "n", 1)).ToArray();
        using var viaA = Client(nodeA.BaseAddress, token);
        using var viaB = Client(nodeB.BaseAddress, token);
        var first = await Wire.PushAsync(viaA, Stream, Guid.CreateVersion7(), batch);
        var retry = await Wire.PushAsync(viaB, Stream, Guid.CreateVersion7(), batch);
        retry.Results.Select(r => r.Status).ShouldAllBe(s => s == "duplicate");
        retry.Results.Select(r => r.Index).ShouldBe(first.Results.Select(r => r.Index));

        // A watcher on A hears a push through B.
        using (var socket = new ClientWebSocket())
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{portA}/v1/streams/{Stream}/watch"), CancellationToken.None);
            var initial = await ReceiveHeadAsync(socket);
            var pushed = await Wire.PushAsync(viaB, Stream, Guid.CreateVersion7(), writer.Increment("item", counter, "n", 1));
            var head = pushed.Results[0].Index!.Value;
            head.ShouldBeGreaterThan(initial);
            while (await ReceiveHeadAsync(socket) < head)
            {
                // Heads may arrive one by one; wait for the one the push made.
            }
        }

        // Eight clients, four through each node, writing and syncing at once; node B is killed midway and restarted.
        var replicas = Enumerable.Range(0, 8).Select(i => Open(directory, $"client{i}", i % 2 == 0 ? nodeA.BaseAddress : nodeB.BaseAddress, token)).ToList();
        foreach (var replica in replicas)
        {
            await replica.SyncAsync();
        }

        var increments = 5 + 1;
        var killed = new TaskCompletionSource();
        var workers = replicas.Select((replica, i) => Task.Run(async () =>
        {
            var written = 0;
            for (var step = 0; step < 24; step++)
            {
                var write = step % 2 == 0
                    ? await replica.IncrementAsync("item", counter, "n", 1)
                    : await replica.CreateAsync("item", Json.Parse($$"""{"label":"client {{i}} step {{step}}"}"""));
                write.Rejection.ShouldBeNull();
                if (step % 2 == 0)
                {
                    Interlocked.Increment(ref increments);
                }

                written++;
                if (i == 0 && step == 12)
                {
                    killed.TrySetResult();
                }

                try
                {
                    await replica.SyncStepAsync();
                }
                catch (TransportException)
                {
                    await Task.Delay(100);
                }
            }

            return written;
        })).ToList();

        // Client 0 is halfway (or a worker failed, which WhenAll below reports instead of this waiting forever).
        await Task.WhenAny(killed.Task, Task.WhenAll(workers));
        nodeB.Kill();
        nodeB.Dispose();
        await Task.Delay(300);
        nodeB = await ServerProcess.StartAsync(["--postgres", connection], portB);
        var writes = (await Task.WhenAll(workers)).Sum();

        using (nodeB)
        {
            for (var round = 0; round < 3; round++)
            {
                foreach (var replica in replicas.Append(seed))
                {
                    await replica.SyncAsync();
                }
            }

            var log = await FullLogAsync(viaA);
            log.Select(a => a.Index!.Value).ShouldBe(Enumerable.Range(1, log.Count).Select(i => (long)i));
            log.Select(a => a.Id).Distinct().Count().ShouldBe(log.Count);
            log.Count.ShouldBe(2 + 5 + 1 + writes);
            log.Count(a => a.Kind == "increment").ShouldBe(increments);

            var server = await ExportAsync(connection);
            server.ShouldContain($"\"label\":\"counter\",\"n\":{increments}}}");
            foreach (var replica in replicas.Append(seed))
            {
                (await replica.GetStatusAsync()).Pending.ShouldBe(0);
                (await replica.GetRejectionsAsync()).ShouldBeEmpty();
                (await replica.ExportAsync()).ShouldBe(server);
                await replica.DisposeAsync();
            }
        }
    }

    private static Replica Open(TempDirectory directory, string name, Uri server, string token) =>
        Replica.Open(new ReplicaOptions { Path = directory.File($"{name}.db"), Server = server, Stream = Stream, Token = token, Watch = false });

    private static HttpClient Client(Uri server, string token)
    {
        var client = new HttpClient { BaseAddress = server };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    private static Core.Schema.StreamSchema SchemaJson(string collections) =>
        Core.Export.SchemaJson.Deserialize(Encoding.UTF8.GetBytes("{\"collections\":" + collections + "}"));

    private static async Task<long> ReceiveHeadAsync(ClientWebSocket socket)
    {
        var buffer = new byte[256];
        var received = await socket.ReceiveAsync(buffer, Eventually.Token());
        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, received.Count));
        return document.RootElement.GetProperty("head").GetInt64();
    }

    private static async Task<List<ActionWire>> FullLogAsync(HttpClient client)
    {
        var log = new List<ActionWire>();
        while (true)
        {
            var page = await Wire.PullAsync(client, Stream, log.Count, 5000);
            if (page.Actions.Count == 0)
            {
                return log;
            }

            log.AddRange(page.Actions);
        }
    }

    private static async Task<string> ExportAsync(string connection)
    {
        await using var store = await PostgresConvergeStore.OpenAsync(connection);
        using var buffer = new MemoryStream();
        await store.ExportAsync(Stream, buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
