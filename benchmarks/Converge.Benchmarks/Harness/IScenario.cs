namespace Converge.Benchmarks.Harness;

/// <summary>One figure of docs/performance.md: it measures Converge and its raw baseline in the same run.</summary>
internal interface IScenario
{
    /// <summary>B1 to B11.</summary>
    string Id { get; }

    /// <summary>What it measures, in a few words.</summary>
    string Title { get; }

    Task<BenchResult> RunAsync(BenchContext context);
}
