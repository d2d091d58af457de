using System.Diagnostics;
using System.Globalization;
using Converge.Benchmarks.Harness;
using Converge.Benchmarks.Hosting;
using Converge.Testing;

namespace Converge.Benchmarks.Scenarios;

/// <summary>
/// B9: the PostgreSQL store behind two server nodes (in-process Kestrel, one throwaway cluster): pushes of 100
/// actions from <see cref="Workers"/> connections spread over both nodes, over 100 streams and over one hot stream;
/// against plain Npgsql inserting the same rows in transactions of 100 from as many connections.
/// </summary>
internal sealed class PostgresIngestScenario : IScenario
{
    private const int Workers = 8;

    private const int Batch = 100;

    private const int Streams = 100;

    public string Id => "B9";

    public string Title => "PostgreSQL store, two nodes";

    public async Task<BenchResult> RunAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sizes = context.Sizes;
        if (PostgresCluster.FindBinaries() is null)
        {
            return BenchResult.Failed(Id, Title, "PostgreSQL's binaries are not installed (/usr/lib/postgresql/*/bin)");
        }

        await using var cluster = await PostgresCluster.StartAsync();
        var connection = await cluster.CreateDatabaseAsync();
        var rawConnection = await cluster.CreateDatabaseAsync();
        await using var nodeA = await BenchServer.StartPostgresAsync(connection);
        await using var nodeB = await BenchServer.StartPostgresAsync(connection);
        var streams = Enumerable.Range(0, Streams).Select(i => string.Create(CultureInfo.InvariantCulture, $"s{i:D3}")).Append("hot").ToArray();
        var token = await nodeA.TokenAsync(BenchServer.Principal, streams);
        var pushers = Enumerable.Range(0, Workers).Select(i => new WirePusher((i % 2 == 0 ? nodeA : nodeB).BaseAddress, token)).ToList();
        try
        {
            var workload = new Workload(Guid.NewGuid());
            var client = Guid.CreateVersion7();
            foreach (var stream in streams)
            {
                await pushers[0].PushAsync(stream, WirePusher.Body(client, [workload.SchemaAction()]));
            }

            var many = await IngestAsync(pushers, workload, client, i => streams[i % Streams], sizes);
            var hot = await IngestAsync(pushers, workload, client, _ => "hot", sizes);
            var raw = await RawPostgres.InsertAsync(rawConnection, sizes.PostgresActions, Batch, Workers, sizes.LoopLimit);
            return new BenchResult(Id, Title, many.PerSecond, "actions/s", many.PerSecond / raw.PerSecond, $"{many.Count:N0} actions per case in pushes of {Batch}; {Workers} connections over 2 nodes")
            {
                RatioMeaning = "converge/raw PostgreSQL actions/s, 100 streams",
                Target = ">= 10,000 actions/s",
                MeetsTarget = many.PerSecond >= 10_000,
                Details = new Dictionary<string, double>
                {
                    ["hotStreamActionsPerSecond"] = hot.PerSecond,
                    ["hotStreamRatio"] = hot.PerSecond / raw.PerSecond,
                    ["rawActionsPerSecond"] = raw.PerSecond,
                },
                Note = "value over 100 streams; hotStreamActionsPerSecond for one stream; the ratio is against raw PostgreSQL, not SQLite",
            };
        }
        finally
        {
            pushers.ForEach(p => p.Dispose());
        }
    }

    private static async Task<Measured> IngestAsync(List<WirePusher> pushers, Workload workload, Guid client, Func<int, string> streamOf, BenchSizes sizes)
    {
        var bodies = Enumerable.Range(0, sizes.PostgresActions / Batch)
            .Select(b => (streamOf(b), WirePusher.Body(client, Enumerable.Range(b * Batch, Batch).Select(i => workload.Create(Guid.CreateVersion7(), i)))))
            .ToList();
        var started = Stopwatch.GetTimestamp();
        var pushed = await WirePusher.PushAllAsync(pushers, Workers, bodies, Deadline.In(sizes.LoopLimit));
        return new Measured((long)pushed * Batch, Stopwatch.GetElapsedTime(started));
    }
}
