using System.Diagnostics;
using Converge.Benchmarks.Harness;

namespace Converge.Benchmarks.Queries;

/// <summary>
/// Times a typed query against its raw SQLite twin: a warm-up of each, then rounds that alternate a block of one with
/// a block of the other (so a burst of load on the shared machine falls on both), bounded in count and in time.
/// </summary>
internal static class QueryTiming
{
    private const int Rounds = 5;

    /// <summary>The time and allocations of <paramref name="count"/> runs of each (fewer if the limit passes).</summary>
    public static async Task<(Measured Converge, Measured Raw)> CompareAsync(int count, TimeSpan limit, Func<int, Task> converge, Action<int> raw)
    {
        ArgumentNullException.ThrowIfNull(converge);
        ArgumentNullException.ThrowIfNull(raw);
        var warm = Math.Max(3, count / 20);
        for (var i = 0; i < warm; i++)
        {
            await converge(i);
            raw(i);
        }

        var deadline = Deadline.In(limit);
        var block = Math.Max(1, count / Rounds);
        Measured ours = default, theirs = default;
        for (var done = 0; done < count && !deadline.Passed; done += block)
        {
            var n = Math.Min(block, count - done);
            var allocated = Measured.AllocatedNow();
            var started = Stopwatch.GetTimestamp();
            for (var i = done; i < done + n; i++)
            {
                await converge(i);
            }

            ours = Add(ours, n, Stopwatch.GetElapsedTime(started), Measured.AllocatedNow() - allocated);
            allocated = Measured.AllocatedNow();
            started = Stopwatch.GetTimestamp();
            for (var i = done; i < done + n; i++)
            {
                raw(i);
            }

            theirs = Add(theirs, n, Stopwatch.GetElapsedTime(started), Measured.AllocatedNow() - allocated);
        }

        return (ours, theirs);
    }

    /// <summary>The common details of a query figure.</summary>
    public static Dictionary<string, double> Details(Measured converge, Measured raw, string prefix = "") => new()
    {
        [prefix + "convergeMs"] = Ms(converge),
        [prefix + "rawMs"] = Ms(raw),
        [prefix + "convergeBytesPerQuery"] = converge.BytesPerOperation,
        [prefix + "rawBytesPerQuery"] = raw.BytesPerOperation,
        [prefix + "queries"] = converge.Count,
    };

    /// <summary>Milliseconds per query.</summary>
    public static double Ms(Measured measured) => measured.Elapsed.TotalMilliseconds / measured.Count;

    private static Measured Add(Measured total, long count, TimeSpan elapsed, long allocated) =>
        new(total.Count + count, total.Elapsed + elapsed, total.AllocatedBytes + allocated);
}
