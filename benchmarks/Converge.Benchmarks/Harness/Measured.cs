using System.Diagnostics;

namespace Converge.Benchmarks.Harness;

/// <summary>How many operations took how long.</summary>
internal readonly record struct Measured(long Count, TimeSpan Elapsed)
{
    public double PerSecond => Elapsed > TimeSpan.Zero ? Count / Elapsed.TotalSeconds : double.NaN;

    /// <summary>Times one asynchronous piece of work that did <paramref name="count"/> operations.</summary>
    public static async Task<Measured> TimeAsync(long count, Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var started = Stopwatch.GetTimestamp();
        await work();
        return new Measured(count, Stopwatch.GetElapsedTime(started));
    }
}
