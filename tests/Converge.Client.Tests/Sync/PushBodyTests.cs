using Converge.Client.Transport;
using Converge.Testing;
using Microsoft.Data.Sqlite;

namespace Converge.Client.Tests.Sync;

/// <summary>An action is encoded once: the push sends the bytes the pending queue holds, as they are.</summary>
public sealed class PushBodyTests
{
    private const string People = """{"person":{"fields":{"name":{"type":"string"},"age":{"type":"long"}}}}""";

    [Fact]
    public async Task Push_PendingAction_SendsTheQueuedBytesVerbatim()
    {
        await using var world = await SyncWorld.StartAsync();
        using var recorder = new PushRecorder();
        using var http = new HttpClient(recorder) { Timeout = TimeSpan.FromSeconds(60) };
        var replica = await world.OpenAsync("a", configure: o =>
            o.Transport = new HttpSyncTransport(new HttpSyncTransportOptions { Server = world.Host.BaseAddress, Stream = SyncWorld.Stream, Token = o.Token!, ClientId = Guid.CreateVersion7() }, http));
        await replica.DefineSchemaAsync(SyncWorld.Schema(People));
        await replica.CreateAsync("person", Json.Parse("""{"name":"Zoë","age":41}"""));
        var queued = PendingBodies(world.Directory.File("a.db"));

        await replica.SyncAsync();

        queued.Count.ShouldBe(2);
        var pushed = recorder.Bodies.ShouldHaveSingleItem();
        foreach (var body in queued)
        {
            pushed.AsSpan().IndexOf(body).ShouldBeGreaterThan(0, "the push body should hold the queued bytes as they are");
        }

        (await replica.GetStatusAsync()).Pending.ShouldBe(0);
    }

    private static List<byte[]> PendingBodies(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM cv_pending ORDER BY seq";
        using var reader = command.ExecuteReader();
        var bodies = new List<byte[]>();
        while (reader.Read())
        {
            bodies.Add((byte[])reader.GetValue(0));
        }

        return bodies;
    }

    /// <summary>Keeps every push body on its way to the real server.</summary>
    private sealed class PushRecorder() : DelegatingHandler(new SocketsHttpHandler())
    {
        public List<byte[]> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/push", StringComparison.Ordinal))
            {
                var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
                lock (Bodies)
                {
                    Bodies.Add(body);
                }
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
