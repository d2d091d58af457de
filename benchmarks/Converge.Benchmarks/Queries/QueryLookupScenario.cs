using Converge.Benchmarks.Harness;

namespace Converge.Benchmarks.Queries;

/// <summary>Q3: <c>FindByAsync(t => t.Code, code)</c> on the unique field, over random codes; against the raw table's unique index.</summary>
internal sealed class QueryLookupScenario : IScenario
{
    public string Id => "Q3";

    public string Title => "lookup by a unique field";

    public async Task<BenchResult> RunAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = await QueryFixture.GetAsync(context);
        var todos = data.Todos;
        var random = new Random(3);
        var codes = Enumerable.Range(0, 2_000).Select(_ => QueryData.Code(random.Next(data.Count))).ToArray();
        var found = await todos.FindByAsync(t => t.Code, codes[0]);
        if (found is null || found.Id != data.Raw.Lookup(codes[0])?.Id)
        {
            throw new InvalidOperationException("Q3's lookup differs from the raw query's.");
        }

        var (ours, theirs) = await QueryTiming.CompareAsync(
            codes.Length,
            context.Sizes.LoopLimit,
            async i => _ = await todos.FindByAsync(t => t.Code, codes[i % codes.Length]),
            i => data.Raw.Lookup(codes[i % codes.Length]));
        var ratio = QueryTiming.Ms(ours) / QueryTiming.Ms(theirs);
        return new BenchResult(Id, Title, QueryTiming.Ms(ours), "ms/query", ratio, $"{data.Count:N0} records")
        {
            RatioMeaning = "converge ms / raw SQLite ms (lower is better)",
            Target = "ratio <= 2",
            MeetsTarget = ratio <= 2,
            Details = QueryTiming.Details(ours, theirs),
            Note = "raw: SELECT ... WHERE code = $c LIMIT 1 over a unique index; raw plan: " + data.Raw.Plan("SELECT * FROM todos WHERE code = 'x' LIMIT 1"),
        };
    }
}
