namespace Converge.Benchmarks.Harness;

/// <summary>One figure: its value, its ratio against the raw baseline of the same run, and the target.</summary>
/// <param name="Id">B1 to B11.</param>
/// <param name="Title">What was measured, in a few words.</param>
/// <param name="Value">The headline figure (the one the target is about).</param>
/// <param name="Unit">The unit of <paramref name="Value"/>.</param>
/// <param name="Ratio">Converge against the raw baseline (see <see cref="RatioMeaning"/>), or null when there is none.</param>
/// <param name="Size">The size of the run, in words.</param>
internal sealed record BenchResult(string Id, string Title, double Value, string Unit, double? Ratio, string Size)
{
    /// <summary>How to read <see cref="Ratio"/>, for example "converge/raw actions/s".</summary>
    public string RatioMeaning { get; init; } = "converge/raw";

    /// <summary>The target, in words.</summary>
    public string Target { get; init; } = "";

    /// <summary>Whether the value meets the target.</summary>
    public bool MeetsTarget { get; init; }

    /// <summary>The other numbers measured on the way (the second batch size, p50, phase times, baselines).</summary>
    public IReadOnlyDictionary<string, double> Details { get; init; } = new Dictionary<string, double>();

    /// <summary>Anything a reader must know to trust the figure.</summary>
    public string? Note { get; init; }

    /// <summary>A figure that could not be measured, with the reason.</summary>
    public static BenchResult Failed(string id, string title, string reason) =>
        new(id, title, double.NaN, "", null, "") { Note = "FAILED: " + reason };
}
