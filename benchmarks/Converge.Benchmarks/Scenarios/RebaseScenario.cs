using System.Diagnostics;
using Converge.Benchmarks.Harness;
using Converge.Benchmarks.Hosting;
using Converge.Client;

namespace Converge.Benchmarks.Scenarios;

/// <summary>
/// B5: one sync step that rebases <see cref="Pending"/> pending updates over <see cref="Pulled"/> pulled ones, on a
/// replica of a small and of a large stream (each bootstrapped from a snapshot). The figure is the ratio of the two
/// median step times: about 1 when the cost follows the actions touched, not the size of the database.
/// </summary>
internal sealed class RebaseScenario : IScenario
{
    private const int Pending = 100;

    private const int Pulled = 100;

    public string Id => "B5";

    public string Title => "rebase cost against replica size";

    public async Task<BenchResult> RunAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sizes = context.Sizes;
        var small = await MedianStepAsync(context, sizes.RebaseSmall);
        var large = await MedianStepAsync(context, sizes.RebaseLarge);
        var ratio = large / small;
        return new BenchResult(Id, Title, ratio, "x (large/small step time)", null, $"P={Pending}, R={Pulled}; {sizes.RebaseSmall:N0} vs {sizes.RebaseLarge:N0} records")
        {
            RatioMeaning = "none: the value is itself a ratio",
            Target = "<= 1.2",
            MeetsTarget = ratio <= 1.2,
            Details = new Dictionary<string, double> { ["smallStepMs"] = small, ["largeStepMs"] = large, ["rounds"] = sizes.RebaseRounds },
            Note = "median of the rounds after one warm-up round; a step = pull R, undo P, apply R, re-apply P, one transaction",
        };
    }

    private static async Task<double> MedianStepAsync(BenchContext context, int records)
    {
        var stream = await context.Fixture.StreamAsync(records);
        var path = context.Fixture.FindBootstrapped(records);
        if (path is null)
        {
            await context.Fixture.SnapshotAsync();
            path = context.Temp.File($"b5-replica-{records}.db");
        }

        var server = await context.Fixture.ServerAsync();
        await using var replica = await context.Fixture.OpenReplicaAsync(stream, path);
        await replica.SyncAsync();
        using var other = new WirePusher(server.BaseAddress, stream.Token);
        var workload = new Workload(Guid.NewGuid());
        var otherClient = Guid.CreateVersion7();
        var random = new Random(records);
        var times = new List<double>();
        var deadline = Deadline.In(context.Sizes.LoopLimit);
        for (var round = 0; round <= context.Sizes.RebaseRounds && !deadline.Passed; round++)
        {
            for (var i = 0; i < Pending; i++)
            {
                await replica.UpdateAsync(Workload.Collection, Pick(stream, random), Workload.Fields(i));
            }

            await other.PushAsync(stream.Name, WirePusher.Body(otherClient, Enumerable.Range(0, Pulled).Select(i => workload.Update(Pick(stream, random), i))));
            var started = Stopwatch.GetTimestamp();
            var report = await replica.SyncStepAsync();
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (report.Pulled != Pulled)
            {
                throw new InvalidOperationException($"The step pulled {report.Pulled}, not {Pulled}.");
            }

            if (round > 0)
            {
                times.Add(elapsed.TotalMilliseconds);
            }

            await replica.SyncAsync();
        }

        context.Log($"B5 {records:N0} records: steps {string.Join(", ", times.Select(t => t.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))} ms");
        return Stats.Median(times);
    }

    private static Guid Pick(PopulatedStream stream, Random random) => stream.Records[random.Next(stream.Records.Count)];
}
