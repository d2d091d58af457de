using System.Diagnostics;

namespace Converge.Testing;

/// <summary>
/// Waits for a condition instead of sleeping: tests run on a loaded 2-core machine, where no amount of work can be
/// assumed to happen within a given time. The timeout only bounds a test that would otherwise hang; it is generous
/// on purpose, and a condition that holds ends the wait at once.
/// </summary>
public static class Eventually
{
    /// <summary>How long any single step of a test (a sync, a request, a process start) may take on a loaded machine.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>A token cancelled after <see cref="Timeout"/> (or <paramref name="timeout"/>), for a receive or a wait.</summary>
    public static CancellationToken Token(TimeSpan? timeout = null) => new CancellationTokenSource(timeout ?? Timeout).Token;

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after the timeout.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after the timeout.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Timeout;
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > limit)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {what}; it never held.");
            }

            await Task.Delay(10);
        }
    }
}
