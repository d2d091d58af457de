using System.Diagnostics;
using Converge.Benchmarks.Harness;

namespace Converge.Benchmarks.Scenarios;

/// <summary>
/// B6: a new replica of a stream of N records bootstraps from a snapshot (forced with the server's maintenance):
/// the time of its <c>SyncAsync</c>; against copying a file the size of the replica it made (and flushing the copy).
/// The replica is kept for B5.
/// </summary>
internal sealed class BootstrapScenario : IScenario
{
    public string Id => "B6";

    public string Title => "bootstrap from a snapshot";

    public async Task<BenchResult> RunAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sizes = context.Sizes;
        var stream = await context.Fixture.StreamAsync(sizes.BootstrapRecords);
        var snapshotTime = await context.Fixture.SnapshotAsync();
        var path = context.Temp.File($"b6-replica-{sizes.BootstrapRecords}.db");
        TimeSpan elapsed;
        await using (var replica = await context.Fixture.OpenReplicaAsync(stream, path))
        {
            using var cancel = new CancellationTokenSource(sizes.LoopLimit);
            var started = Stopwatch.GetTimestamp();
            var report = await replica.SyncAsync(cancellationToken: cancel.Token);
            elapsed = Stopwatch.GetElapsedTime(started);
            if (report.SnapshotIndex != stream.Head)
            {
                throw new InvalidOperationException($"Expected a snapshot at {stream.Head}; the sync loaded {report.SnapshotIndex?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.");
            }
        }

        context.Fixture.KeepBootstrapped(sizes.BootstrapRecords, path);
        var bytes = new FileInfo(path).Length;
        var copy = context.Temp.File("b6-copy.db");
        var copyTime = RawSqlite.CopyFile(path, copy);
        File.Delete(copy);
        return new BenchResult(Id, Title, elapsed.TotalSeconds, "s", elapsed / copyTime, $"{sizes.BootstrapRecords:N0} records")
        {
            RatioMeaning = "converge bootstrap time / raw file copy time (lower is better)",
            Target = "<= 8 s",
            MeetsTarget = elapsed.TotalSeconds <= 8,
            Details = new Dictionary<string, double>
            {
                ["copySeconds"] = copyTime.TotalSeconds,
                ["replicaMegabytes"] = bytes / 1048576.0,
                ["snapshotSeconds"] = snapshotTime.TotalSeconds,
                ["recordsPerSecond"] = sizes.BootstrapRecords / elapsed.TotalSeconds,
            },
            Note = "the snapshot is made before the clock starts (snapshotSeconds, server side)",
        };
    }
}
