using Converge.Benchmarks.Hosting;
using Converge.Testing;

namespace Converge.Benchmarks.Harness;

/// <summary>What every figure gets: the sizes, a temp folder, the shared server and a progress log.</summary>
internal sealed record BenchContext(BenchSizes Sizes, TempDirectory Temp, ServerFixture Fixture, Action<string> Log);
