using System.Diagnostics;
using Converge.Benchmarks.Harness;
using Converge.Benchmarks.Hosting;
using Converge.Core.Actions;
using Converge.Core.Clock;
using Converge.Server.Hosting;

namespace Converge.Benchmarks.Scenarios;

/// <summary>
/// B11: one-action pushes to a quiet stream, alone and then while another stream on the same SQLite server is pushed
/// at the server's limits (its largest schema, a record of the largest size, a set of the most elements, pushes of the
/// most actions, each action the most expensive of its kind); the figure is the p99 latency with the noise over the p99
/// without it, in one run.
/// </summary>
internal sealed class FairnessScenario : IScenario
{
    private const int WarmUp = 20;

    public string Id => "B11";

    public string Title => "quiet-stream pushes beside a stream pushed at the limits";

    public async Task<BenchResult> RunAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sizes = context.Sizes;
        var limits = new ConvergeServerOptions();
        await using var server = await BenchServer.StartSqliteAsync(context.Temp.File("b11-server.db"));
        using var quiet = new WirePusher(server.BaseAddress, await server.TokenAsync(BenchServer.Principal, "quiet"));
        using var noisy = new WirePusher(server.BaseAddress, await server.TokenAsync(BenchServer.Principal, "noisy"));
        var quietWork = new Workload(Guid.NewGuid());
        var client = Guid.CreateVersion7();
        await quiet.PushAsync("quiet", WirePusher.Body(client, [quietWork.SchemaAction()]));
        var quietBodies = Enumerable.Range(0, (2 * (WarmUp + sizes.FairnessPushes)) + 2).Select(n => WirePusher.Body(client, [quietWork.Create(Guid.CreateVersion7(), n)])).ToList();

        var alone = await MeasureAsync(quiet, quietBodies, 0, sizes);
        context.Log($"B11 quiet alone: p50 {Stats.Median(alone):0.00} ms, p99 {Stats.Percentile(alone, 99):0.00} ms");

        var loud = new NoisyStream(limits, Guid.CreateVersion7());
        foreach (var setup in loud.SetUp())
        {
            await noisy.PushAsync("noisy", setup);
        }

        var pool = Enumerable.Range(0, sizes.FairnessNoisyPushes).Select(_ => loud.Push()).ToList();
        context.Log($"B11 noisy stream at the limits: {limits.MaxCollections} collections, {limits.MaxSchemaFields} fields, a record of ~{limits.MaxRecordBytes / 1024} KiB, a set of {limits.MaxSetElements} elements; {pool.Count} pushes of {limits.MaxActionsPerPush} actions");
        using var stop = new CancellationTokenSource();
        var pushed = 0;
        var noiseStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var noiseClock = Stopwatch.StartNew();
        var noise = Task.Run(async () =>
        {
            foreach (var body in pool)
            {
                if (stop.IsCancellationRequested)
                {
                    break;
                }

                var sending = noisy.PushAsync("noisy", body, CancellationToken.None);
                noiseStarted.TrySetResult();
                await sending;
                pushed++;
            }
        });
        await noiseStarted.Task;
        var peak = 0L;
        using var process = Process.GetCurrentProcess();
        var sampling = Task.Run(async () =>
        {
            // The server runs in this process: its memory under the noise is this process's working set.
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(50);
            }
        });
        var loaded = await MeasureAsync(quiet, quietBodies, WarmUp + sizes.FairnessPushes + 1, sizes);
        var overlapped = !noise.IsCompleted;
        await stop.CancelAsync();
        await noise;
        await sampling;
        var noisyActions = pushed * (double)limits.MaxActionsPerPush / noiseClock.Elapsed.TotalSeconds;
        var ratio = Stats.Percentile(loaded, 99) / Stats.Percentile(alone, 99);
        context.Log($"B11 quiet beside the noise: p50 {Stats.Median(loaded):0.00} ms, p99 {Stats.Percentile(loaded, 99):0.00} ms (ratio {ratio:0.00}); noisy {pushed} pushes, {noisyActions:0} actions/s; peak working set {peak / (1024.0 * 1024.0):0} MiB");
        return new BenchResult(Id, Title, ratio, "x p99", ratio, $"{loaded.Count} quiet one-action pushes")
        {
            RatioMeaning = "p99 beside the noisy stream / p99 alone",
            Target = "at most 3x",
            MeetsTarget = ratio <= 3 && overlapped,
            Note = overlapped ? null : "the noisy pushes ended before the quiet ones: raise FairnessNoisyPushes",
            Details = new Dictionary<string, double>
            {
                ["aloneP50Ms"] = Stats.Median(alone),
                ["aloneP99Ms"] = Stats.Percentile(alone, 99),
                ["loadedP50Ms"] = Stats.Median(loaded),
                ["loadedP99Ms"] = Stats.Percentile(loaded, 99),
                ["noisyPushes"] = pushed,
                ["noisyActionsPerSecond"] = noisyActions,
                ["peakWorkingSetMiB"] = peak / (1024.0 * 1024.0),
            },
        };
    }

    /// <summary>Pushes the quiet bodies from <paramref name="first"/> one at a time, timing each after a warm-up.</summary>
    private static async Task<List<double>> MeasureAsync(WirePusher pusher, List<byte[]> bodies, int first, BenchSizes sizes)
    {
        var samples = new List<double>(sizes.FairnessPushes);
        var deadline = Deadline.In(sizes.LoopLimit);
        for (var i = 0; i < WarmUp + sizes.FairnessPushes && !deadline.Passed; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await pusher.PushAsync("quiet", bodies[first + i]);
            if (i >= WarmUp)
            {
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        return samples;
    }

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A stream at every limit, and pushes of its most expensive actions.</summary>
    private sealed class NoisyStream(ConvergeServerOptions limits, Guid client)
    {
        private const int BigFields = 8;
        private readonly Guid _big = Guid.CreateVersion7();
        private readonly Guid _bag = Guid.CreateVersion7();
        private readonly ActionWriter _write = new(new HybridClock(TimeProvider.System, NodeId.FromGuid(Guid.NewGuid())));
        private int _next;

        /// <summary>The schema at its limits, the largest record and the fullest set, a push each.</summary>
        public IEnumerable<byte[]> SetUp()
        {
            // MaxCollections collections and MaxSchemaFields fields in all: the widest collection has MaxFieldsPerCollection.
            var narrow = limits.MaxCollections - 2;
            var each = (limits.MaxSchemaFields - limits.MaxFieldsPerCollection - 1) / narrow;
            var small = Enumerable.Range(0, narrow).Select(i => "\"c" + Text(i) + "\":{\"fields\":{\"name\":{\"type\":\"string\"},\"n\":{\"type\":\"long\"}"
                + string.Concat(Enumerable.Range(0, each - 2).Select(x => ",\"x" + Text(x) + "\":{\"type\":\"string\"}")) + "}}");
            var wide = "\"wide\":{\"fields\":{" + string.Join(",", Enumerable.Range(0, limits.MaxFieldsPerCollection).Select(i => "\"f" + Text(i) + "\":{\"type\":\"string\"}")) + "}}";
            var bag = "\"bag\":{\"fields\":{\"tags\":{\"type\":\"string\",\"cardinality\":\"many\"}}}";
            yield return WirePusher.Body(client, [_write.Schema("{" + string.Join(",", small.Append(wide).Append(bag)) + "}")]);

            // A record about as large as MaxRecordBytes allows, in strings each within MaxStringBytes.
            // Headroom for the small fields the updates add (about 90 bytes each, 50 of them).
            var size = Math.Min(limits.MaxStringBytes - 16, (limits.MaxRecordBytes / BigFields) - 1024);
            var fields = string.Join(",", Enumerable.Range(0, BigFields).Select(i => "\"f" + Text(i) + "\":\"" + new string((char)('a' + i), size) + "\""));
            yield return WirePusher.Body(client, [_write.Create("wide", _big, "{" + fields + "}")]);
            var tags = string.Join(",", Enumerable.Range(0, limits.MaxSetElements).Select(i => $"\"t{i}\""));
            yield return WirePusher.Body(client, [_write.Create("bag", _bag, "{\"tags\":[" + tags + "]}")]);
        }

        /// <summary>
        /// One push of the most actions: a third rewrite the largest record (an update of one small field), a third move
        /// an element of the fullest set, a third create records across the widest schema. Stamps grow push after push,
        /// so every update is applied, not skipped as stale.
        /// </summary>
        public byte[] Push()
        {
            var actions = new List<ConvergeAction>(limits.MaxActionsPerPush);
            for (var i = 0; i < limits.MaxActionsPerPush; i++, _next++)
            {
                actions.Add((_next % 3) switch
                {
                    0 => _write.Update("wide", _big, $$"""{"f{{BigFields + (_next % 50)}}":"v{{_next}}"}"""),
                    1 => _next % 2 == 0 ? _write.Remove(_bag, $"t{_next % 100}") : _write.Add(_bag, $"t{_next % 100}"),
                    _ => _write.Create($"c{_next % (limits.MaxCollections - 2)}", Guid.CreateVersion7(), $$"""{"name":"r{{_next}}","n":{{_next}}}"""),
                });
            }

            return WirePusher.Body(client, actions);
        }
    }
}
