using System.Text;
using Converge.Client;
using Converge.Core.Schema;
using Converge.Testing;

namespace Converge.Client.Tests;

/// <summary>A real server on 127.0.0.1 and replica files in a temp folder, with one stream and a token per principal.</summary>
internal sealed class SyncWorld : IAsyncDisposable
{
    public const string Stream = "team";

    private readonly List<Replica> _replicas = [];

    private SyncWorld(ServerHost host, TempDirectory directory)
    {
        Host = host;
        Directory = directory;
    }

    public ServerHost Host { get; }

    public TempDirectory Directory { get; }

    public static async Task<SyncWorld> StartAsync(Action<Server.Hosting.ConvergeServerOptions>? configure = null, TimeProvider? serverTime = null) =>
        new(await ServerHost.StartAsync(configure, time: serverTime), new TempDirectory());

    /// <summary>Opens (or reopens) a replica file for a principal.</summary>
    public async Task<Replica> OpenAsync(string name, string principal = "alice", Action<ReplicaOptions>? configure = null)
    {
        var options = new ReplicaOptions
        {
            Path = Directory.File($"{name}.db"),
            Server = Host.BaseAddress,
            Stream = Stream,
            Token = await Host.TokenAsync(principal, Stream),
            Watch = false,
        };
        configure?.Invoke(options);
        var replica = Replica.Open(options);
        _replicas.Add(replica);
        return replica;
    }

    public async Task<string> ServerExportAsync()
    {
        using var buffer = new MemoryStream();
        await Host.Store.ExportAsync(Stream, buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Syncs every replica until none moves, then checks they and the server export the same bytes.</summary>
    public async Task<string> ConvergeAsync(params Replica[] replicas)
    {
        for (var round = 0; round < 3; round++)
        {
            foreach (var replica in replicas)
            {
                await replica.SyncAsync();
            }
        }

        var server = await ServerExportAsync();
        foreach (var replica in replicas)
        {
            (await replica.ExportAsync()).ShouldBe(server);
        }

        return server;
    }

    public static StreamSchema Schema(string collections) => Core.Export.SchemaJson.Deserialize(Encoding.UTF8.GetBytes("{\"collections\":" + collections + "}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await Host.DisposeAsync();
        Directory.Dispose();
    }
}
