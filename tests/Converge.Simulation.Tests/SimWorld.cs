using System.Text;
using Converge.Client;
using Converge.Client.Kernel;
using Converge.Client.Lifecycle;
using Converge.Client.Transport;
using Converge.Core.Errors;
using Converge.Core.Export;
using Converge.Server.Hosting;

namespace Converge.Simulation.Tests;

/// <summary>
/// One simulated world, driven by one seed: a real server (SQLite store), 2 to 8 real client replicas, a virtual clock
/// per node, a faulty network, crashes. Everything happens one event at a time, so the seed replays it exactly.
/// </summary>
internal sealed partial class SimWorld : IAsyncDisposable
{
    /// <summary>The points a crash may hit, in the order seeds pick them (a new point goes last, so old seeds replay).</summary>
    private static readonly ReplicaTestPoint[] FaultPoints =
    [
        ReplicaTestPoint.RebaseUndone, ReplicaTestPoint.RebaseApplied, ReplicaTestPoint.PullBegun, ReplicaTestPoint.PullApplied, ReplicaTestPoint.PullCommit,
        ReplicaTestPoint.PushAnswered, ReplicaTestPoint.PushCommit, ReplicaTestPoint.BootstrapPending, ReplicaTestPoint.BootstrapLoaded,
        ReplicaTestPoint.BootstrapCommit, ReplicaTestPoint.WriteCommit,
    ];

    private readonly string _directory;
    private readonly List<SimClient> _clients = [];
    private readonly List<SimClient> _waiting = [];
    private readonly Dictionary<string, List<Guid>> _records = new(StringComparer.Ordinal);
    private readonly List<(int At, Action Undo)> _restore = [];
    private int _event;
    private int _nesting;

    public SimWorld(int seed, MustFire mustFire)
    {
        Seed = seed;
        MustFire = mustFire;
        Random = new Random(seed);
        Clock = new SimClock(new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero).AddSeconds(Random.Next(0, 86_400)));
        Ids = new SeededIds(Clock, Random);
        var shm = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        _directory = Path.Combine(shm, "converge-sim", $"{seed}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        Options = SimOptions.From(Random) with { OneActionTurns = seed % 4 == 0 };
        Network = new SimNetwork(this);
        Oracle = new SimOracle(this);
        Server = new SimServer(Path.Combine(_directory, "server.db"), new NodeTime(Clock), new ConvergeServerOptions
        {
            SnapshotEveryActions = Options.SnapshotEvery,
            ClientStaleAfter = TimeSpan.FromDays(2),
            RunMaintenance = false,
            MaxWriteTurn = Options.MaxWriteTurn,
        });
    }

    public int Seed { get; }

    public const string StreamName = "sim";

    public string Stream { get; } = StreamName;

    public Random Random { get; }

    public SimClock Clock { get; }

    public SeededIds Ids { get; }

    public SimOptions Options { get; }

    /// <summary>The client bugs planted in this world (<see cref="PlantedBugTests"/>); none in a real batch.</summary>
    public HashSet<ReplicaBug> PlantedBugs { get; } = [];

    public SimServer Server { get; }

    public SimNetwork Network { get; }

    public SimOracle Oracle { get; }

    public MustFire MustFire { get; }

    public List<string> Violations { get; } = [];

    /// <summary>What happened, event by event: two runs of one seed give the same trace.</summary>
    public StringBuilder Trace { get; } = new();

    public Guid Counter { get; private set; }

    public bool Chance(double p) => Random.NextDouble() < p;

    public void Violation(string what)
    {
        if (Violations.Count < 20)
        {
            Violations.Add($"[event {_event}] {what}");
        }
    }

    /// <summary>Chaos, then heal, then quiesce, then every invariant.</summary>
    public async Task RunAsync()
    {
        for (var i = 0; i < Options.Clients; i++)
        {
            var client = new SimClient($"c{i}", $"p{i % Options.Principals}", Path.Combine(_directory, $"c{i}.db"), new NodeTime(Clock) { Offset = InitialOffset() });
            if (i >= 2 && Chance(0.3))
            {
                _waiting.Add(client);
            }
            else
            {
                await JoinAsync(client);
            }
        }

        for (_event = 0; _event < Options.Events && Violations.Count == 0; _event++)
        {
            foreach (var due in _restore.Where(r => r.At <= _event).ToList())
            {
                _restore.Remove(due);
                due.Undo();
            }

            await ChaosEventAsync();
        }

        await HealAndQuiesceAsync();
        if (Violations.Count == 0)
        {
            await CheckAsync();
        }
    }

    public async Task InterleaveOthersAsync(SimClient busy)
    {
        if (_nesting > 0)
        {
            return;
        }

        _nesting++;
        try
        {
            var others = _clients.Where(c => c != busy && c.Replica is not null).ToList();
            for (var n = Random.Next(1, 3); n > 0 && others.Count > 0; n--)
            {
                var other = others[Random.Next(others.Count)];
                Trace.Append("  interleave ").AppendLine(other.Name);
                if (Chance(0.5))
                {
                    await WriteAsync(other);
                }
                else
                {
                    await StepAsync(other);
                }
            }
        }
        finally
        {
            _nesting--;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            if (client.Replica is { } replica)
            {
                await replica.DisposeAsync();
            }
        }

        Server.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private TimeSpan InitialOffset() => Chance(0.15)
        ? TimeSpan.FromMilliseconds(Random.Next(2_000, 600_000))
        : TimeSpan.FromMilliseconds(Random.Next(-800, 60));

    private async Task JoinAsync(SimClient client)
    {
        _clients.Add(client);
        Open(client);
        Trace.Append("join ").AppendLine(client.Name);
        var replica = client.Replica!;
        await replica.DefineSchemaAsync(SimSchema.Schema);
        if (Counter == Guid.Empty)
        {
            Counter = Ids.Next();
            var created = await replica.CreateAsync("person", CanonicalJson.Parse("""{"name":"counter","visits":0}"""), Counter);
            Oracle.Writes.Add((client, created, 0m));
            Remember("person", Counter);
        }
    }

    private void Open(SimClient client)
    {
        client.Hooks = new SimHooks(PlantedBugs);
        client.Options = new ReplicaOptions
        {
            TestHooks = client.Hooks,
            Path = client.Path,
            Stream = Stream,
            Time = client.Time,
            Transport = new SimTransport(this, client),
            NewId = Ids.Next,
            PushBatchSize = Options.PushBatch,
            PullBatchSize = Options.PullBatch,
            Watch = false,
        };
        client.Replica = Replica.Open(client.Options);
        client.ClientId = client.Replica.ClientId;
    }

    private async Task CrashAsync(SimClient client)
    {
        client.Crashes++;
        await client.Replica!.DisposeAsync();
        client.Replica = null;
        var integrity = Integrity(client.Path);
        if (integrity != "ok")
        {
            Violation($"{client.Name}'s file after a crash: integrity_check says {integrity}");
        }

        Open(client);
        Trace.Append("restart ").Append(client.Name).Append(" hlc-last=").Append(client.Replica!.Clock.Save().LastNanoseconds).AppendLine();
    }

    private static string Integrity(string path)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>One sync step; network failures are expected, anything else is a bug.</summary>
    private async Task<Client.Sync.SyncReport?> StepAsync(SimClient client)
    {
        var replica = client.Replica!;
        var pendingBefore = (await replica.GetStatusAsync()).Pending;
        try
        {
            var report = await replica.SyncStepAsync();
            Trace.Append("  step ").Append(client.Name).Append(' ').Append(report.Kind).Append(" pulled=").Append(report.Pulled).Append(" pushed=").Append(report.Pushed).Append(" cursor=").Append(report.Cursor).AppendLine();
            if (report.SnapshotIndex is not null)
            {
                client.Reloaded = true;
                if (pendingBefore > 0)
                {
                    MustFire.Hit(MustFire.BootstrapWithPending);
                }
            }

            return report;
        }
        catch (TransportException e)
        {
            Trace.Append("  step ").Append(client.Name).Append(" failed: ").AppendLine(e.Message);
            return null;
        }
    }

    private void Remember(string collection, Guid id)
    {
        if (!_records.TryGetValue(collection, out var ids))
        {
            _records[collection] = ids = [];
        }

        ids.Add(id);
    }

    private Guid Known(string collection) =>
        _records.TryGetValue(collection, out var ids) && ids.Count > 0 && !Chance(0.05) ? ids[Random.Next(ids.Count)] : Ids.Next();

    private void Later(int events, Action undo) => _restore.Add((_event + events, undo));
}
