namespace Converge.Benchmarks.Harness;

/// <summary>Percentiles and medians of samples.</summary>
internal static class Stats
{
    /// <summary>The nearest-rank percentile (0-100) of the samples; NaN when there are none.</summary>
    public static double Percentile(IReadOnlyCollection<double> samples, double percentile)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Median(IReadOnlyCollection<double> samples) => Percentile(samples, 50);
}
