using System.Diagnostics;
using Converge.Benchmarks.Harness;
using Converge.Benchmarks.Hosting;
using Converge.Client;

namespace Converge.Benchmarks.Scenarios;

/// <summary>One replica of B5 and the other client that writes to its stream: one timed rebase step per round.</summary>
internal sealed class RebaseSubject : IAsyncDisposable
{
    private readonly PopulatedStream _stream;
    private readonly Replica _replica;
    private readonly WirePusher _other;
    private readonly Workload _workload = new(Guid.NewGuid());
    private readonly Guid _otherClient = Guid.CreateVersion7();
    private readonly Random _random;

    private RebaseSubject(PopulatedStream stream, Replica replica, WirePusher other)
    {
        _stream = stream;
        _replica = replica;
        _other = other;
        _random = new Random(stream.Records.Count);
    }

    public int Records => _stream.Records.Count;

    /// <summary>The step times of the timed rounds, in ms.</summary>
    public List<double> Times { get; } = [];

    /// <summary>A replica of the stream of <paramref name="records"/> records, bootstrapped from a snapshot (or reopened when a figure kept one).</summary>
    public static async Task<RebaseSubject> OpenAsync(BenchContext context, int records)
    {
        var stream = await context.Fixture.StreamAsync(records);
        var path = context.Fixture.FindBootstrapped(records);
        if (path is null)
        {
            await context.Fixture.SnapshotAsync();
            path = context.Temp.File($"b5-replica-{records}.db");
        }

        var server = await context.Fixture.ServerAsync();
        var replica = await context.Fixture.OpenReplicaAsync(stream, path);
        await replica.SyncAsync();
        return new RebaseSubject(stream, replica, new WirePusher(server.BaseAddress, stream.Token));
    }

    /// <summary>
    /// Writes <paramref name="pending"/> updates locally, has the other client push <paramref name="pulled"/> updates,
    /// times the one sync step that rebases the first over the second, then syncs the pending ones away (untimed).
    /// </summary>
    public async Task RoundAsync(int pending, int pulled, bool timed)
    {
        for (var i = 0; i < pending; i++)
        {
            await _replica.UpdateAsync(Workload.Collection, Pick(), Workload.Fields(i));
        }

        await _other.PushAsync(_stream.Name, WirePusher.Body(_otherClient, Enumerable.Range(0, pulled).Select(i => _workload.Update(Pick(), i))));
        var started = Stopwatch.GetTimestamp();
        var report = await _replica.SyncStepAsync();
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (report.Pulled != pulled)
        {
            throw new InvalidOperationException($"The step pulled {report.Pulled}, not {pulled}.");
        }

        if (timed)
        {
            Times.Add(elapsed.TotalMilliseconds);
        }

        await _replica.SyncAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _other.Dispose();
        await _replica.DisposeAsync();
    }

    private Guid Pick() => _stream.Records[_random.Next(_stream.Records.Count)];
}
