using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Converge.Client.Transport;
using Converge.Testing;
using Microsoft.Data.Sqlite;

namespace Converge.Client.Tests.Sync;

/// <summary>A pulled action is stored as the server sent it: its bytes go into the local log, never written again.</summary>
public sealed class PulledBytesTests
{
    private const string People = """{"person":{"fields":{"name":{"type":"string"}}}}""";

    [Fact]
    public async Task Pull_ServerSendsMembersInItsOwnOrder_LogStoresThoseBytesExactly()
    {
        await using var world = await SyncWorld.StartAsync();
        var writer = await world.OpenAsync("w");
        await writer.DefineSchemaAsync(SyncWorld.Schema(People));
        await writer.CreateAsync("person", Json.Parse("""{"name":"Ann"}"""));
        await writer.SyncAsync();
        using var reordering = new ReorderingHandler();
        using var http = new HttpClient(reordering) { Timeout = TimeSpan.FromSeconds(60) };
        var reader = await world.OpenAsync("r", configure: o =>
            o.Transport = new HttpSyncTransport(new HttpSyncTransportOptions { Server = world.Host.BaseAddress, Stream = SyncWorld.Stream, Token = o.Token!, ClientId = Guid.CreateVersion7() }, http));

        await reader.SyncAsync();

        var logged = LogBodies(world.Directory.File("r.db"));
        logged.Count.ShouldBe(2);
        logged.ShouldBe(reordering.Sent);
        (await reader.ExportAsync()).ShouldBe(await writer.ExportAsync());
    }

    private static List<string> LogBodies(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM cv_log ORDER BY idx";
        using var reader = command.ExecuteReader();
        var bodies = new List<string>();
        while (reader.Read())
        {
            bodies.Add(Encoding.UTF8.GetString((byte[])reader.GetValue(0)));
        }

        return bodies;
    }

    /// <summary>
    /// Sends every pulled action with its members in reverse order (the same action, in an order this client never
    /// writes), and keeps each as it would be stored: without the members only the server sets.
    /// </summary>
    private sealed class ReorderingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private static readonly string[] ServerOwned = ["index", "clientId", "principal"];

        public List<string> Sent { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode || !request.RequestUri!.AbsolutePath.EndsWith("/pull", StringComparison.Ordinal))
            {
                return response;
            }

            var page = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
            var actions = new JsonArray();
            foreach (var action in page["actions"]!.AsArray())
            {
                var members = action!.AsObject().Reverse().Select(m => KeyValuePair.Create(m.Key, m.Value?.DeepClone())).ToList();
                actions.Add(new JsonObject(members));
                Sent.Add(new JsonObject(members.Where(m => !ServerOwned.Contains(m.Key)).Select(m => KeyValuePair.Create(m.Key, m.Value?.DeepClone()))).ToJsonString());
            }

            page["actions"] = actions;
            response.Content = new StringContent(page.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
            return response;
        }
    }
}
