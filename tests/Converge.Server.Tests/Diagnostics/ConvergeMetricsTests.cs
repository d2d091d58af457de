using System.Diagnostics.Metrics;
using Converge.Server.Diagnostics;

namespace Converge.Server.Tests.Diagnostics;

public sealed class ConvergeMetricsTests
{
    [Fact]
    public async Task Push_RecordsAcceptedRejectedAndLatency()
    {
        var measured = new List<(string Name, double Value, string? Code)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ConvergeMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i.Name, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i.Name, v, tags));
        listener.Start();
        await using var f = await ServerFixture.StartAsync();

        await f.PushAsync(f.Writer.Create("person", "{}"), f.Writer.Create("ghost", "{}"));

        lock (measured)
        {
            measured.Where(m => m.Name == "converge.actions.accepted").Sum(m => m.Value).ShouldBeGreaterThanOrEqualTo(2);
            measured.ShouldContain(m => m.Name == "converge.actions.rejected" && m.Code == "unknown_collection");
            measured.ShouldContain(m => m.Name == "converge.push.duration");
        }

        void Record(string name, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? code = null;
            foreach (var tag in tags)
            {
                code = tag.Key == "code" ? tag.Value as string : code;
            }

            lock (measured)
            {
                measured.Add((name, value, code));
            }
        }
    }
}
