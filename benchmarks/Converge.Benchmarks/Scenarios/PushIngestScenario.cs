using System.Diagnostics;
using Converge.Benchmarks.Harness;
using Converge.Benchmarks.Hosting;
using Converge.Testing;

namespace Converge.Benchmarks.Scenarios;

/// <summary>
/// B3: the server's ingest of pushes over real HTTP on loopback (in-process Kestrel, SQLite store, synchronous=FULL),
/// in batches of 100 and of 1 from <see cref="Workers"/> concurrent connections; against raw SQLite inserting the same
/// number of rows with synchronous=FULL in transactions of the same size.
/// </summary>
internal sealed class PushIngestScenario : IScenario
{
    /// <summary>Concurrent pushing connections: several devices at once, as a server sees them.</summary>
    private const int Workers = 4;

    private const int WarmUpBodies = 4;

    public string Id => "B3";

    public string Title => "server push ingest over HTTP";

    public async Task<BenchResult> RunAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sizes = context.Sizes;
        await using var server = await BenchServer.StartSqliteAsync(context.Temp.File("b3-server.db"));
        var token = await server.TokenAsync(BenchServer.Principal, "ingest-100", "ingest-1");
        var pushers = Enumerable.Range(0, Workers).Select(_ => new WirePusher(server.BaseAddress, token)).ToList();
        try
        {
            var batched = await IngestAsync(pushers, "ingest-100", 100, sizes.IngestBatched, sizes.LoopLimit);
            var single = await IngestAsync(pushers, "ingest-1", 1, sizes.IngestSingle, sizes.LoopLimit);
            var raw100 = RawSqlite.Insert(context.Temp.File("b3-raw-100.db"), sizes.IngestBatched, 100, fullSync: true, sizes.LoopLimit);
            var raw1 = RawSqlite.Insert(context.Temp.File("b3-raw-1.db"), sizes.IngestSingle, 1, fullSync: true, sizes.LoopLimit);
            return new BenchResult(Id, Title, batched.PerSecond, "actions/s", batched.PerSecond / raw100.PerSecond, $"{batched.Count:N0} actions in pushes of 100; {single.Count:N0} in pushes of 1; {Workers} connections")
            {
                RatioMeaning = "converge/raw actions/s, batches of 100",
                Target = ">= 30,000 actions/s",
                MeetsTarget = batched.PerSecond >= 30_000,
                Details = new Dictionary<string, double>
                {
                    ["batch1ActionsPerSecond"] = single.PerSecond,
                    ["batch1Ratio"] = single.PerSecond / raw1.PerSecond,
                    ["rawBatch100ActionsPerSecond"] = raw100.PerSecond,
                    ["rawBatch1ActionsPerSecond"] = raw1.PerSecond,
                    ["allocatedBytesPerAction"] = batched.BytesPerOperation,
                    ["batch1AllocatedBytesPerAction"] = single.BytesPerOperation,
                },
                Note = "allocatedBytesPerAction: bytes allocated by the whole process (the in-process server and the pushing HttpClients) during the timed pushes, per action",
            };
        }
        finally
        {
            pushers.ForEach(p => p.Dispose());
        }
    }

    private static async Task<Measured> IngestAsync(List<WirePusher> pushers, string stream, int batch, int actions, TimeSpan limit)
    {
        var workload = new Workload(Guid.NewGuid());
        var client = Guid.CreateVersion7();
        await pushers[0].PushAsync(stream, WirePusher.Body(client, [workload.SchemaAction()]));
        var count = (actions / batch) + WarmUpBodies;
        var bodies = Enumerable.Range(0, count)
            .Select(b => (stream, WirePusher.Body(client, Enumerable.Range(b * batch, batch).Select(i => workload.Create(Guid.CreateVersion7(), i)))))
            .ToList();
        for (var i = 0; i < WarmUpBodies; i++)
        {
            await pushers[0].PushAsync(stream, bodies[i].Item2);
        }

        var timed = bodies.Skip(WarmUpBodies).ToList();
        var allocated = Measured.AllocatedNow();
        var started = Stopwatch.GetTimestamp();
        var pushed = await WirePusher.PushAllAsync(pushers, Workers, timed, Deadline.In(limit));
        return new Measured((long)pushed * batch, Stopwatch.GetElapsedTime(started), Measured.AllocatedNow() - allocated);
    }
}
