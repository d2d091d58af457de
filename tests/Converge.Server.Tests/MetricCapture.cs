using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Converge.Server.Tests;

/// <summary>Records the measurements of one app's meters (those its <see cref="IMeterFactory"/> made), not other tests'.</summary>
internal sealed class MetricCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Name, long Value, IReadOnlyDictionary<string, object?> Tags)> _measured = new();

    public MetricCapture(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var named = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                named[tag.Key] = tag.Value;
            }

            _measured.Enqueue((instrument.Name, value, named));
        });
        _listener.Start();
    }

    /// <summary>The measurements of the counter <paramref name="name"/>, with their tags.</summary>
    public IReadOnlyList<(long Value, IReadOnlyDictionary<string, object?> Tags)> Of(string name) =>
        [.. _measured.Where(m => m.Name == name).Select(m => (m.Value, m.Tags))];

    public void Dispose() => _listener.Dispose();
}
