using System.Diagnostics;
using Converge.Benchmarks.Harness;
using Converge.Benchmarks.Hosting;
using Converge.Client;

namespace Converge.Benchmarks.Scenarios;

/// <summary>
/// B10: one replica queues a backlog of offline writes (half creates, half updates of records it created, written in
/// local batches of 1,000 before the clock starts), then pushes all of it to a real in-process server (SQLite store,
/// HTTP on loopback) with <c>SyncAsync</c>; against the server's own push ingest, B3 of the same run.
/// </summary>
internal sealed class BacklogPushScenario : IScenario
{
    private const int LocalBatch = 1_000;

    private const string Stream = "backlog";

    public string Id => "B10";

    public string Title => "offline backlog pushed by one replica";

    public async Task<BenchResult> RunAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var writes = context.Sizes.BacklogWrites;
        var ingest = await IngestAsync(context);
        await using var server = await BenchServer.StartSqliteAsync(context.Temp.File("b10-server.db"));
        var token = await server.TokenAsync(BenchServer.Principal, Stream);
        var options = new ReplicaOptions { Path = context.Temp.File("b10-replica.db"), Stream = Stream, Server = server.BaseAddress, Token = token };
        await using var replica = Replica.Open(options);
        await replica.DefineSchemaAsync(Workload.Schema);
        await WriteBacklogAsync(replica, writes);
        var queued = (await replica.GetStatusAsync()).Pending;
        context.Log($"B10 queued {queued:N0} actions offline; pushing");

        var steps = 0;
        replica.Synced += (_, _) => steps++;
        var started = Stopwatch.GetTimestamp();
        var report = await replica.SyncAsync();
        var elapsed = Stopwatch.GetElapsedTime(started);
        var left = (await replica.GetStatusAsync()).Pending;
        if (left != 0 || report.Rejected.Length != 0)
        {
            throw new InvalidOperationException($"The backlog did not push cleanly: {left} left pending, {report.Rejected.Length} rejected.");
        }

        var pushed = new Measured(queued, elapsed);
        var ratio = pushed.PerSecond / ingest;
        return new BenchResult(Id, Title, pushed.PerSecond, "actions/s", ratio, $"{queued:N0} queued actions ({writes:N0} writes and the schema)")
        {
            RatioMeaning = "backlog push actions/s / B3 server ingest actions/s (batches of 100)",
            Target = ">= 0.5 of B3",
            MeetsTarget = ratio >= 0.5,
            Details = new Dictionary<string, double>
            {
                ["seconds"] = elapsed.TotalSeconds,
                ["steps"] = steps,
                ["pushBatch"] = options.PushBatchSize,
                ["b3ActionsPerSecond"] = ingest,
            },
            Note = "the time of one SyncAsync from the first pull to an empty queue; the push batch is the default",
        };
    }

    /// <summary>B3's batched ingest from this run, or measured now when B3 did not run (<c>--only B10</c>).</summary>
    private static async Task<double> IngestAsync(BenchContext context)
    {
        var b3 = context.Earlier.FirstOrDefault(r => r.Id == "B3" && !double.IsNaN(r.Value));
        if (b3 is null)
        {
            context.Log("B10 measures B3 first, for its ratio");
            b3 = await new PushIngestScenario().RunAsync(context);
        }

        return b3.Value;
    }

    /// <summary>Creates and updates alternate: each update changes a record created earlier in the backlog.</summary>
    private static async Task WriteBacklogAsync(Replica replica, int writes)
    {
        var created = new List<Guid>(writes);
        var random = new Random(writes);
        for (var first = 0; first < writes; first += LocalBatch)
        {
            var count = Math.Min(LocalBatch, writes - first);
            await replica.WriteBatchAsync(batch =>
            {
                for (var i = first; i < first + count; i++)
                {
                    if (i % 2 == 0 || created.Count == 0)
                    {
                        created.Add(batch.Create(Workload.Collection, Workload.Fields(i)));
                    }
                    else
                    {
                        batch.Update(Workload.Collection, created[random.Next(created.Count)], Workload.Fields(i));
                    }
                }
            });
        }
    }
}
