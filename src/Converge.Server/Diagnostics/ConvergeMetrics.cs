using System.Diagnostics.Metrics;

namespace Converge.Server.Diagnostics;

/// <summary>The server's metrics, on the meter <c>Converge.Server</c>, for OpenTelemetry or dotnet-counters.</summary>
public sealed class ConvergeMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Converge.Server";

    private readonly Meter _meter;
    private int _watchers;

    /// <summary>Creates the instruments.</summary>
    public ConvergeMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        Pushes = _meter.CreateCounter<long>("converge.pushes", description: "Push requests answered 200.");
        Pulls = _meter.CreateCounter<long>("converge.pulls", description: "Pull requests answered 200.");
        Accepted = _meter.CreateCounter<long>("converge.actions.accepted", description: "Actions appended to a log.");
        Duplicates = _meter.CreateCounter<long>("converge.actions.duplicate", description: "Pushed actions the log already held.");
        Rejected = _meter.CreateCounter<long>("converge.actions.rejected", description: "Pushed actions rejected, by code.");
        PushDuration = _meter.CreateHistogram<double>("converge.push.duration", unit: "ms", description: "Time to answer a push.");
        PullDuration = _meter.CreateHistogram<double>("converge.pull.duration", unit: "ms", description: "Time to answer a pull.");
        WatchersDropped = _meter.CreateCounter<long>("converge.watchers.dropped", description: "Watchers dropped for reading too slowly, by reason (overflow, send_timeout).");
        _meter.CreateObservableUpDownCounter("converge.watchers", () => Volatile.Read(ref _watchers), description: "Open watch sockets.");
    }

    /// <summary>Push requests answered 200.</summary>
    public Counter<long> Pushes { get; }

    /// <summary>Pull requests answered 200.</summary>
    public Counter<long> Pulls { get; }

    /// <summary>Actions appended.</summary>
    public Counter<long> Accepted { get; }

    /// <summary>Duplicates.</summary>
    public Counter<long> Duplicates { get; }

    /// <summary>Rejections, tagged with <c>code</c>.</summary>
    public Counter<long> Rejected { get; }

    /// <summary>Push latency.</summary>
    public Histogram<double> PushDuration { get; }

    /// <summary>Pull latency.</summary>
    public Histogram<double> PullDuration { get; }

    /// <summary>Slow watchers dropped, tagged with <c>reason</c>: <c>overflow</c> (its buffer filled) or <c>send_timeout</c>.</summary>
    public Counter<long> WatchersDropped { get; }

    /// <summary>Counts a watcher in (+1) or out (-1).</summary>
    public void Watcher(int delta) => Interlocked.Add(ref _watchers, delta);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
