using Converge.Benchmarks.Hosting;
using Converge.Testing;

namespace Converge.Benchmarks.Harness;

/// <summary>What every figure gets: the sizes, a temp folder, the shared server, a progress log and the figures measured before it.</summary>
internal sealed record BenchContext(BenchSizes Sizes, TempDirectory Temp, ServerFixture Fixture, Action<string> Log)
{
    /// <summary>The figures this run measured so far, in the order they ran (B10 compares with B3's).</summary>
    public List<BenchResult> Earlier { get; } = [];

    /// <summary>Data several figures share (Q1-Q5's replica), made by the first that needs it and disposed at the end.</summary>
    public Dictionary<string, object> Shared { get; } = [];
}
