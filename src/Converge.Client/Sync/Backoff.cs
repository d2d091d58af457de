namespace Converge.Client.Sync;

/// <summary>
/// The back-off after failures, as docs/client.md describes it: <see cref="ReplicaOptions.RetryInterval"/> after the
/// first, doubling after each further one up to <see cref="ReplicaOptions.MaxRetryInterval"/>, with ±20% jitter.
/// </summary>
/// <remarks>Not thread-safe: each loop keeps its own (its jitter is seeded by <see cref="ReplicaOptions.JitterSeed"/>).</remarks>
internal sealed class Backoff(ReplicaOptions options)
{
    private readonly Random _jitter = options.JitterSeed is { } seed ? new Random(seed) : new Random();

    /// <summary>The wait after <paramref name="failures"/> failures in a row (at least one).</summary>
    public TimeSpan After(int failures)
    {
        var doubled = options.RetryInterval.TotalMilliseconds * Math.Pow(2, Math.Clamp(failures - 1, 0, 20));
        return TimeSpan.FromMilliseconds(Math.Min(doubled, options.MaxRetryInterval.TotalMilliseconds) * (0.8 + (0.4 * _jitter.NextDouble())));
    }
}
