using System.Diagnostics;
using Converge.Benchmarks.Harness;

namespace Converge.Benchmarks.Scenarios;

/// <summary>
/// B4: a fresh replica pulls and applies a log of N creates (the server has no snapshot, so it pulls from index 0)
/// with <c>SyncAsync</c> and the default batch size; against raw SQLite inserting N rows in 1,000-row transactions.
/// </summary>
internal sealed class PullApplyScenario : IScenario
{
    /// <summary>A small log pulled first by a throwaway replica, so the timed pull runs on warm (tiered-up) code.</summary>
    private const int WarmUpActions = 5_000;

    public string Id => "B4";

    public string Title => "client pull and apply";

    public async Task<BenchResult> RunAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sizes = context.Sizes;
        var warmUp = await context.Fixture.StreamAsync(WarmUpActions);
        await using (var replica = await context.Fixture.OpenReplicaAsync(warmUp, context.Temp.File("b4-warm-up.db")))
        {
            await replica.SyncAsync();
        }

        var stream = await context.Fixture.StreamAsync(sizes.PullActions);
        Measured converge;
        await using (var replica = await context.Fixture.OpenReplicaAsync(stream, context.Temp.File("b4-replica.db")))
        {
            using var cancel = new CancellationTokenSource(sizes.LoopLimit);
            var allocated = Measured.AllocatedNow();
            var started = Stopwatch.GetTimestamp();
            var report = await replica.SyncAsync(cancellationToken: cancel.Token);
            converge = new Measured(report.Pulled, Stopwatch.GetElapsedTime(started), Measured.AllocatedNow() - allocated);
            if (report.SnapshotIndex is not null || report.Pulled != stream.Head)
            {
                throw new InvalidOperationException($"Expected to pull {stream.Head} actions and no snapshot; pulled {report.Pulled}, snapshot {report.SnapshotIndex}.");
            }
        }

        var raw = RawSqlite.Insert(context.Temp.File("b4-raw.db"), sizes.PullActions, 1_000, fullSync: false, sizes.LoopLimit);
        return new BenchResult(Id, Title, converge.PerSecond, "actions/s", converge.PerSecond / raw.PerSecond, $"{converge.Count:N0} actions")
        {
            RatioMeaning = "converge/raw actions/s",
            Target = ">= 50,000 actions/s",
            MeetsTarget = converge.PerSecond >= 50_000,
            Details = new Dictionary<string, double> { ["rawActionsPerSecond"] = raw.PerSecond, ["seconds"] = converge.Elapsed.TotalSeconds, ["allocatedBytesPerAction"] = converge.BytesPerOperation },
            Note = $"default PullBatchSize (1,000 per pull); after a warm-up pull of {WarmUpActions:N0}; allocatedBytesPerAction: the whole process (the replica and the in-process server answering its pulls) during the timed sync, per action",
        };
    }
}
