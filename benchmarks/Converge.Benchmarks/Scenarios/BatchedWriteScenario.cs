using System.Diagnostics;
using Converge.Benchmarks.Harness;
using Converge.Client;

namespace Converge.Benchmarks.Scenarios;

/// <summary>
/// B2: local writes in batches of 1,000, through <see cref="LocalBatchWriter.Current"/> (and, for reference,
/// <see cref="LocalBatchWriter.Sequential"/>); against raw SQLite inserting 1,000 rows per transaction (WAL +
/// synchronous=NORMAL).
/// </summary>
internal sealed class BatchedWriteScenario : IScenario
{
    private const int Batch = 1_000;

    /// <summary>The reference run of sequential writes is capped: it only shows what batching changes.</summary>
    private const int SequentialCap = 5_000;

    public string Id => "B2";

    public string Title => "batched local writes (1,000 per batch)";

    public async Task<BenchResult> RunAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sizes = context.Sizes;
        var writer = LocalBatchWriter.Current;
        var converge = await MeasureAsync(context, writer, sizes.BatchedWrites, "b2-replica.db");
        var sequential = writer == LocalBatchWriter.Sequential
            ? converge
            : await MeasureAsync(context, LocalBatchWriter.Sequential, Math.Min(sizes.BatchedWrites, SequentialCap), "b2-sequential.db");
        var rawPath = context.Temp.File("b2-raw.db");
        RawSqlite.Insert(rawPath, Batch, Batch, fullSync: false, sizes.LoopLimit);
        var raw = RawSqlite.Insert(rawPath, sizes.BatchedWrites, Batch, fullSync: false, sizes.LoopLimit);
        return new BenchResult(Id, Title, converge.PerSecond, "actions/s", converge.PerSecond / raw.PerSecond, $"{converge.Count:N0} writes")
        {
            RatioMeaning = "converge/raw actions/s",
            Target = ">= 150,000 actions/s",
            MeetsTarget = converge.PerSecond >= 150_000,
            Details = new Dictionary<string, double>
            {
                ["rawActionsPerSecond"] = raw.PerSecond,
                ["sequentialActionsPerSecond"] = sequential.PerSecond,
            },
            Note = $"writer: {writer.Name}; sequentialActionsPerSecond: {LocalBatchWriter.Sequential.Name}",
        };
    }

    private static async Task<Measured> MeasureAsync(BenchContext context, LocalBatchWriter.Writer writer, int writes, string file)
    {
        await using var replica = Replica.Open(new ReplicaOptions { Path = context.Temp.File(file), Stream = "bench" });
        await replica.DefineSchemaAsync(Workload.Schema);
        await writer.WriteAsync(replica, 0, Batch);
        var deadline = Deadline.In(context.Sizes.LoopLimit);
        var started = Stopwatch.GetTimestamp();
        var done = 0;
        while (done < writes && !deadline.Passed)
        {
            await writer.WriteAsync(replica, Batch + done, Batch);
            done += Batch;
        }

        return new Measured(done, Stopwatch.GetElapsedTime(started));
    }
}
