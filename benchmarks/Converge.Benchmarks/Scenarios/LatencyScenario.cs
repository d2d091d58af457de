using Converge.Benchmarks.Harness;
using Converge.Benchmarks.Hosting;
using Converge.Client;
using Converge.Testing;

namespace Converge.Benchmarks.Scenarios;

/// <summary>
/// B7: from a write on one replica to its record showing on the others, with N replicas connected (each running its
/// sync loop with the watch socket). Writers take turns; each write waits until every other replica shows it (or a
/// timeout) before the next. Every (write, other replica) pair is one sample.
/// </summary>
internal sealed class LatencyScenario : IScenario
{
    private static readonly TimeSpan WaitPerWrite = TimeSpan.FromSeconds(10);

    private const int WarmUpWrites = 3;

    public string Id => "B7";

    public string Title => "write-to-visible latency";

    public async Task<BenchResult> RunAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sizes = context.Sizes;
        await using var server = await BenchServer.StartSqliteAsync(context.Temp.File("b7-server.db"));
        var token = await server.TokenAsync(BenchServer.Principal, "latency");
        var replicas = new List<Replica>();
        LatencyProbe? probe = null;
        try
        {
            for (var i = 0; i < sizes.LatencyClients; i++)
            {
                var replica = Replica.Open(new ReplicaOptions { Path = context.Temp.File($"b7-replica-{i}.db"), Stream = "latency", Server = server.BaseAddress, Token = token, Watch = true });
                replicas.Add(replica);
                var index = i;
                replica.Changed += (_, change) => Volatile.Read(ref probe)?.Observe(index, change);
                replica.Synced += (_, report) => Volatile.Read(ref probe)?.ObserveSync(index, report);
            }

            await replicas[0].DefineSchemaAsync(Workload.Schema);
            await replicas[0].SyncAsync();
            foreach (var replica in replicas)
            {
                await replica.SyncAsync();
                replica.StartSync();
            }

            // Let every loop go idle and open its watch socket.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var samples = new List<double>();
            var pushes = new List<double>();
            var missed = 0;
            var deadline = Deadline.In(sizes.LoopLimit);
            for (var w = 0; w < WarmUpWrites + sizes.LatencyWrites && !deadline.Passed; w++)
            {
                var writer = w % replicas.Count;
                var current = new LatencyProbe(Guid.CreateVersion7(), writer, replicas.Count);
                Volatile.Write(ref probe, current);
                await replicas[writer].CreateAsync(Workload.Collection, Workload.Fields(w), current.Record);
                await Task.WhenAny(current.Done.Task, Task.Delay(WaitPerWrite));
                Volatile.Write(ref probe, null);
                if (w >= WarmUpWrites)
                {
                    samples.AddRange(current.Latencies);
                    pushes.Add(current.PushedMs);
                    missed += current.Missed;
                }

                // A quiet moment, so each write meets idle loops.
                await Task.Delay(20);
            }

            var p99 = Stats.Percentile(samples, 99);
            return new BenchResult(Id, Title, p99, "ms (p99)", null, $"{sizes.LatencyClients} replicas, {sizes.LatencyWrites} writes, {samples.Count:N0} samples")
            {
                RatioMeaning = "none",
                Target = "p99 <= 20 ms",
                MeetsTarget = p99 <= 20 && missed == 0,
                Details = new Dictionary<string, double>
                {
                    ["p50Ms"] = Stats.Percentile(samples, 50),
                    ["p90Ms"] = Stats.Percentile(samples, 90),
                    ["maxMs"] = Stats.Percentile(samples, 100),
                    ["writerPushedP50Ms"] = Stats.Percentile([.. pushes.Where(double.IsFinite)], 50),
                    ["missed"] = missed,
                },
                Note = missed > 0 ? $"{missed} (write, replica) pairs not visible within {WaitPerWrite.TotalSeconds} s" : null,
            };
        }
        finally
        {
            await Task.WhenAll(replicas.Select(r => r.StopSyncAsync()));
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }
}
