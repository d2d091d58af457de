using System.Diagnostics;
using Converge.Benchmarks.Hosting;
using Converge.Benchmarks.Queries;
using Converge.Benchmarks.Scenarios;
using Converge.Testing;

namespace Converge.Benchmarks.Harness;

/// <summary>Runs the figures in one process, each with its baseline, and reports them in order B1..B11, Q1..Q5.</summary>
internal static class BenchRunner
{
    /// <summary>
    /// The order the figures run in. B4 and B8 pull whole logs, so they run before B6 forces snapshots of the shared
    /// server's streams; B5 then reuses the replica B6 bootstrapped when the sizes match.
    /// </summary>
    private static IScenario[] Scenarios() =>
    [
        new LocalWriteScenario(),
        new BatchedWriteScenario(),
        new PushIngestScenario(),
        new PullApplyScenario(),
        new CatchUpMemoryScenario(),
        new BootstrapScenario(),
        new RebaseScenario(),
        new BacklogPushScenario(),
        new LatencyScenario(),
        new PostgresIngestScenario(),
        new FairnessScenario(),
        new QueryFilterScenario(),
        new QueryPageScenario(),
        new QueryLookupScenario(),
        new QueryDiskScenario(),
        new LiveQueryScenario(),
    ];

    public static async Task<int> RunAsync(BenchSizes sizes, string? outPath, IReadOnlySet<string>? only)
    {
        var started = Stopwatch.GetTimestamp();
        void Log(string message) => Console.Error.WriteLine($"[{Stopwatch.GetElapsedTime(started).TotalSeconds,6:0.0}s] {message}");
        var results = new List<BenchResult>();
        using (var temp = new TempDirectory())
        {
            var fixture = new ServerFixture(temp, Log);
            await using (fixture)
            {
                var context = new BenchContext(sizes, temp, fixture, Log);
                foreach (var scenario in Scenarios().Where(s => only is null || only.Contains(s.Id)))
                {
                    Log($"{scenario.Id} {scenario.Title} (load average {ResultReport.LoadAverage()})...");
                    var scenarioStarted = Stopwatch.GetTimestamp();
                    BenchResult result;
                    try
                    {
                        result = await scenario.RunAsync(context);
                    }
#pragma warning disable CA1031 // One figure failing must not lose the others: it is reported as failed.
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        result = BenchResult.Failed(scenario.Id, scenario.Title, $"{e.GetType().Name}: {e.Message}");
                        Log(e.ToString());
                    }

                    Log($"{scenario.Id} done in {Stopwatch.GetElapsedTime(scenarioStarted).TotalSeconds:0.0} s: {result.Value:0.###} {result.Unit}, ratio {result.Ratio:0.###}");
                    results.Add(result);
                    context.Earlier.Add(result);
                }

                foreach (var shared in context.Shared.Values.OfType<IAsyncDisposable>())
                {
                    await shared.DisposeAsync();
                }
            }
        }

        // B1..B11, then Q1..Q5.
        results.Sort((a, b) => a.Id[0] != b.Id[0] ? a.Id[0].CompareTo(b.Id[0]) : int.Parse(a.Id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture).CompareTo(int.Parse(b.Id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture)));
        Console.WriteLine(ResultReport.Table(results, sizes));
        if (outPath is not null)
        {
            ResultReport.WriteJson(outPath, results, sizes);
            Log($"wrote {outPath}");
        }

        Log($"total {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
        return results.Any(r => double.IsNaN(r.Value)) ? 1 : 0;
    }
}
