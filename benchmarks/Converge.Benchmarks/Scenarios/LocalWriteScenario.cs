using System.Diagnostics;
using Converge.Benchmarks.Harness;
using Converge.Client;

namespace Converge.Benchmarks.Scenarios;

/// <summary>
/// B1: one local write, <c>CreateAsync</c> of one record (one action per transaction, WAL + synchronous=NORMAL), on
/// an offline replica; against raw SQLite inserting one row per transaction with the same pragmas.
/// </summary>
internal sealed class LocalWriteScenario : IScenario
{
    private const int WarmUp = 100;

    public string Id => "B1";

    public string Title => "one local write";

    public async Task<BenchResult> RunAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sizes = context.Sizes;
        Measured converge;
        await using (var replica = Replica.Open(new ReplicaOptions { Path = context.Temp.File("b1-replica.db"), Stream = "bench" }))
        {
            await replica.DefineSchemaAsync(Workload.Schema);
            await WriteAsync(replica, WarmUp, Deadline.In(sizes.LoopLimit));
            var started = Stopwatch.GetTimestamp();
            var done = await WriteAsync(replica, sizes.LocalWrites, Deadline.In(sizes.LoopLimit));
            converge = new Measured(done, Stopwatch.GetElapsedTime(started));
        }

        var rawPath = context.Temp.File("b1-raw.db");
        RawSqlite.Insert(rawPath, WarmUp, 1, fullSync: false, sizes.LoopLimit);
        var raw = RawSqlite.Insert(rawPath, sizes.LocalWrites, 1, fullSync: false, sizes.LoopLimit);
        var ratio = converge.PerSecond / raw.PerSecond;
        return new BenchResult(Id, Title, converge.PerSecond, "writes/s", ratio, $"{converge.Count:N0} writes")
        {
            RatioMeaning = "converge/raw writes/s",
            Target = "ratio >= 0.5",
            MeetsTarget = ratio >= 0.5,
            Details = new Dictionary<string, double>
            {
                ["rawWritesPerSecond"] = raw.PerSecond,
                ["meanMicroseconds"] = converge.Elapsed.TotalMicroseconds / converge.Count,
                ["rawMeanMicroseconds"] = raw.Elapsed.TotalMicroseconds / raw.Count,
            },
        };
    }

    private static async Task<int> WriteAsync(Replica replica, int count, Deadline deadline)
    {
        var done = 0;
        while (done < count && !deadline.Passed)
        {
            var write = await replica.CreateAsync(Workload.Collection, Workload.Fields(done));
            if (write.IsRejected)
            {
                throw new InvalidOperationException($"A benchmark write was rejected: {write.Rejection!.Code}.");
            }

            done++;
        }

        return done;
    }
}
