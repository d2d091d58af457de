using System.Diagnostics;
using Converge.Benchmarks.Harness;
using Converge.Benchmarks.Hosting;
using Converge.Client;
using Converge.Client.Typed;
using Converge.Testing;

namespace Converge.Benchmarks.Queries;

/// <summary>
/// The data of Q1-Q5, made once per run: one replica holding N <see cref="QueryTodo"/> records written locally in
/// batches of 1,000 (<c>WriteBatchAsync</c>, not yet synced), and a raw SQLite file with the same rows, written in
/// transactions of 1,000. The replica has a server (its own in-process SQLite server) for Q5's sync.
/// </summary>
internal sealed class QueryFixture : IAsyncDisposable
{
    private const int Batch = 1_000;

    private const string Stream = "queries";

    private readonly ServerHost _server;
    private readonly ReplicaOptions _options;

    private QueryFixture(ServerHost server, ReplicaOptions options, RawTodos raw, int count)
    {
        _server = server;
        _options = options;
        Raw = raw;
        Count = count;
        Replica = Replica.Open(options);
    }

    /// <summary>The records written (Q4 adds more on both sides).</summary>
    public int Count { get; private set; }

    public Replica Replica { get; private set; }

    public ReplicaCollection<QueryTodo> Todos => Replica.Collection<QueryTodo>();

    public RawTodos Raw { get; }

    public string ReplicaPath => _options.Path;

    /// <summary>Seconds the replica's local writes and the raw inserts took.</summary>
    public double LoadSeconds { get; private set; }

    public double RawLoadSeconds { get; private set; }

    /// <summary>Whether Q5 pushed the local writes to the server.</summary>
    public bool Synced { get; set; }

    public static async Task<QueryFixture> GetAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Shared.TryGetValue(nameof(QueryFixture), out var existing))
        {
            return (QueryFixture)existing;
        }

        var count = context.Sizes.QueryRecords;
        var server = await BenchServer.StartSqliteAsync(context.Temp.File("q-server.db"));
        var token = await server.TokenAsync(BenchServer.Principal, Stream);
        var options = new ReplicaOptions { Path = context.Temp.File("q-replica.db"), Stream = Stream, Server = server.BaseAddress, Token = token };
        var fixture = new QueryFixture(server, options, new RawTodos(context.Temp.File("q-raw.db")), count);
        context.Shared[nameof(QueryFixture)] = fixture;
        await fixture.LoadAsync(context);
        return fixture;
    }

    /// <summary>Closes the replica (its connections close; the last one folds the WAL into the file).</summary>
    public async Task CloseAsync() => await Replica.DisposeAsync();

    /// <summary>Opens the replica again after <see cref="CloseAsync"/>.</summary>
    public void Reopen() => Replica = Replica.Open(_options);

    /// <summary>Runs the replica's sync to the server until nothing is pending.</summary>
    public async Task<TimeSpan> SyncAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var report = await Replica.SyncAsync();
        if ((await Replica.GetStatusAsync()).Pending != 0 || report.Rejected.Length != 0)
        {
            throw new InvalidOperationException("The query records did not push cleanly.");
        }

        Synced = true;
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>A record added by Q4 on both sides, numbered after the loaded ones.</summary>
    public int NextNumber() => Count++;

    public async ValueTask DisposeAsync()
    {
        await Replica.DisposeAsync();
        Raw.Dispose();
        await _server.DisposeAsync();
    }

    private async Task LoadAsync(BenchContext context)
    {
        var ids = Enumerable.Range(0, Count).Select(_ => Guid.CreateVersion7()).ToArray();
        var deadline = Deadline.In(TimeSpan.FromMinutes(20));
        var started = Stopwatch.GetTimestamp();
        var todos = Todos;
        for (var first = 0; first < Count; first += Batch)
        {
            deadline.ThrowIfPassed("Loading the query records");
            var end = Math.Min(Count, first + Batch);
            var writes = await todos.WriteBatchAsync(batch =>
            {
                for (var i = first; i < end; i++)
                {
                    batch.Insert(QueryData.Make(ids[i], i, Count));
                }
            });
            if (writes.Any(w => w.IsRejected))
            {
                throw new InvalidOperationException($"A query record was rejected: {writes.First(w => w.IsRejected).Rejection!.Code}.");
            }
        }

        LoadSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        started = Stopwatch.GetTimestamp();
        for (var first = 0; first < Count; first += Batch)
        {
            var end = Math.Min(Count, first + Batch);
            Raw.Insert(Enumerable.Range(first, end - first).Select(i => QueryData.Make(ids[i], i, Count)));
        }

        RawLoadSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        // The typed collection makes its [Indexed] index on its first query; make it now, outside any clock.
        _ = await todos.Query().Take(1).ToListAsync();
        context.Log($"Q loaded {Count:N0} records: replica {LoadSeconds:0.0} s (WriteBatchAsync of {Batch:N0}), raw {RawLoadSeconds:0.0} s");
    }
}
