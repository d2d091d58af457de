using System.Diagnostics;

namespace Converge.Benchmarks.Harness;

/// <summary>A point in time a loop must not run past (every loop is bounded in count and in time).</summary>
internal readonly record struct Deadline(long StartedAt, TimeSpan Limit)
{
    public static Deadline In(TimeSpan limit) => new(Stopwatch.GetTimestamp(), limit);

    public bool Passed => Stopwatch.GetElapsedTime(StartedAt) > Limit;

    /// <summary>Throws when passed: for set-up work that must finish for the figure to mean anything.</summary>
    public void ThrowIfPassed(string what)
    {
        if (Passed)
        {
            throw new TimeoutException($"{what} took longer than {Limit.TotalSeconds:0} s.");
        }
    }
}
