using System.Diagnostics;

namespace Converge.Benchmarks.Harness;

/// <summary>How many operations took how long, and (where measured) how many bytes the process allocated meanwhile.</summary>
internal readonly record struct Measured(long Count, TimeSpan Elapsed, long AllocatedBytes = 0)
{
    public double PerSecond => Elapsed > TimeSpan.Zero ? Count / Elapsed.TotalSeconds : double.NaN;

    /// <summary>Bytes allocated per operation: every thread of the process, so an in-process server's share counts too.</summary>
    public double BytesPerOperation => Count > 0 ? (double)AllocatedBytes / Count : double.NaN;

    /// <summary>The process's allocated bytes so far, exact (every thread's allocation context counted).</summary>
    public static long AllocatedNow() => GC.GetTotalAllocatedBytes(precise: true);

    /// <summary>Times one asynchronous piece of work that did <paramref name="count"/> operations.</summary>
    public static async Task<Measured> TimeAsync(long count, Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var started = Stopwatch.GetTimestamp();
        await work();
        return new Measured(count, Stopwatch.GetElapsedTime(started));
    }
}
