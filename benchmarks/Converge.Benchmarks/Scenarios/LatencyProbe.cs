using System.Diagnostics;
using Converge.Client;

namespace Converge.Benchmarks.Scenarios;

/// <summary>One write being followed: when each other replica first shows its record, in ms after the write began.</summary>
internal sealed class LatencyProbe
{
    private readonly int _writer;
    private readonly int[] _seen;
    private readonly double[] _latencies;
    private readonly long _started;
    private int _remaining;
    private long _pushedAt;

    public LatencyProbe(Guid record, int writer, int replicas)
    {
        Record = record;
        _writer = writer;
        _seen = new int[replicas];
        _latencies = new double[replicas];
        _remaining = replicas - 1;
        _started = Stopwatch.GetTimestamp();
    }

    public Guid Record { get; }

    /// <summary>Completes when every other replica has shown the record.</summary>
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The latencies seen so far (replicas that never showed it are left out).</summary>
    public IEnumerable<double> Latencies => _latencies.Where((_, i) => i != _writer && Volatile.Read(ref _seen[i]) == 1);

    public int Missed => _remaining;

    /// <summary>When the writer's push of the write was answered, in ms after the write began; NaN if not seen.</summary>
    public double PushedMs => Volatile.Read(ref _pushedAt) is var at and > 0 ? Stopwatch.GetElapsedTime(_started, at).TotalMilliseconds : double.NaN;

    /// <summary>Called from replica <paramref name="replica"/>'s <c>Synced</c> event: the writer's first step that pushed.</summary>
    public void ObserveSync(int replica, Converge.Client.Sync.SyncReport report)
    {
        if (replica == _writer && report.Pushed > 0)
        {
            Interlocked.CompareExchange(ref _pushedAt, Stopwatch.GetTimestamp(), 0);
        }
    }

    /// <summary>Called from replica <paramref name="replica"/>'s <c>Changed</c> event.</summary>
    public void Observe(int replica, ReplicaChange change)
    {
        if (replica == _writer || !change.FromSync || !change.Records.Any(r => r.Id == Record))
        {
            return;
        }

        if (Interlocked.Exchange(ref _seen[replica], 1) == 0)
        {
            _latencies[replica] = Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                Done.TrySetResult();
            }
        }
    }
}
