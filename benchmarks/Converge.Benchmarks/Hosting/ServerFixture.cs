using System.Diagnostics;
using Converge.Benchmarks.Harness;
using Converge.Client;
using Converge.Testing;

namespace Converge.Benchmarks.Hosting;

/// <summary>
/// The shared SQLite server of the figures that need data on the server (B4, B5, B6, B8): streams of N creates,
/// made once per size and kept for the run, and the replica files bootstrapped from their snapshots.
/// </summary>
internal sealed class ServerFixture : IAsyncDisposable
{
    /// <summary>Creates per push while populating: the server's default most.</summary>
    private const int PopulateBatch = 1_000;

    private readonly TempDirectory _temp;
    private readonly Action<string> _log;
    private readonly Dictionary<int, PopulatedStream> _streams = [];
    private readonly Dictionary<int, string> _bootstrapped = [];
    private ServerHost? _server;

    public ServerFixture(TempDirectory temp, Action<string> log)
    {
        _temp = temp;
        _log = log;
    }

    public async Task<ServerHost> ServerAsync() => _server ??= await BenchServer.StartSqliteAsync(_temp.File("fixture-server.db"));

    /// <summary>The stream of <paramref name="records"/> creates, populated over HTTP the first time it is asked for.</summary>
    public async Task<PopulatedStream> StreamAsync(int records)
    {
        if (_streams.TryGetValue(records, out var existing))
        {
            return existing;
        }

        var server = await ServerAsync();
        var name = $"records-{records}";
        var token = await server.TokenAsync(BenchServer.Principal, name);
        var started = Stopwatch.GetTimestamp();
        var ids = Enumerable.Range(0, records).Select(_ => Guid.CreateVersion7()).ToArray();
        var workload = new Workload(Guid.NewGuid());
        using var pusher = new WirePusher(server.BaseAddress, token);
        var client = Guid.CreateVersion7();
        await pusher.PushAsync(name, WirePusher.Body(client, [workload.SchemaAction()]));
        var batches = (records + PopulateBatch - 1) / PopulateBatch;
        var deadline = Deadline.In(TimeSpan.FromMinutes(30));
        var gate = new SemaphoreSlim(1, 1);
        var next = -1;
        var workers = Enumerable.Range(0, 2).Select(async _ =>
        {
            int batch;
            while ((batch = Interlocked.Increment(ref next)) < batches)
            {
                deadline.ThrowIfPassed($"Populating {name}");
                byte[] body;
                // One clock for the stream: stamps are made in order under the lock, pushed outside it.
                await gate.WaitAsync();
                try
                {
                    var from = batch * PopulateBatch;
                    body = WirePusher.Body(client, Enumerable.Range(from, Math.Min(PopulateBatch, records - from)).Select(i => workload.Create(ids[i], i)));
                }
                finally
                {
                    gate.Release();
                }

                await pusher.PushAsync(name, body);
            }
        });
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        _log($"populated {name}: {records:N0} creates in {elapsed.TotalSeconds:0.0} s ({records / elapsed.TotalSeconds:N0}/s)");
        var stream = new PopulatedStream(name, token, ids);
        _streams[records] = stream;
        return stream;
    }

    /// <summary>Snapshots every stream that changed since its last snapshot (the server's maintenance, forced).</summary>
    public async Task<TimeSpan> SnapshotAsync()
    {
        var server = await ServerAsync();
        var started = Stopwatch.GetTimestamp();
        await server.Maintenance.RunOnceAsync(forceSnapshot: true);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Opens a replica of a stream of the shared server at <paramref name="path"/>.</summary>
    public async Task<Replica> OpenReplicaAsync(PopulatedStream stream, string path, Action<ReplicaOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var server = await ServerAsync();
        var options = new ReplicaOptions { Path = path, Stream = stream.Name, Server = server.BaseAddress, Token = stream.Token };
        configure?.Invoke(options);
        return Replica.Open(options);
    }

    /// <summary>Remembers a replica file bootstrapped to the whole stream of that size, for a later figure to reopen.</summary>
    public void KeepBootstrapped(int records, string path) => _bootstrapped[records] = path;

    /// <summary>A replica file bootstrapped to the whole stream of that size, when a figure kept one.</summary>
    public string? FindBootstrapped(int records) => _bootstrapped.GetValueOrDefault(records);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
