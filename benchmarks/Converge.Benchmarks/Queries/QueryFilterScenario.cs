using Converge.Benchmarks.Harness;

namespace Converge.Benchmarks.Queries;

/// <summary>
/// Q1: <c>Where(t => t.Due &lt; cutoff &amp;&amp; !t.Done)</c> over the indexed due date (cutoffs selecting about 1.5% of
/// the records, two thirds of them not done), read into records; against the same SELECT on the raw table.
/// </summary>
internal sealed class QueryFilterScenario : IScenario
{
    public string Id => "Q1";

    public string Title => "filter on an indexed field";

    public async Task<BenchResult> RunAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = await QueryFixture.GetAsync(context);
        var todos = data.Todos;
        var span = Math.Max(100, data.Count * 3 / 200);
        // Cutoffs vary a little per query, so no two runs are the very same statement and rows.
        DateTimeOffset Cutoff(int i) => QueryData.Start.AddMinutes(span + (i % 10));
        var expected = (await todos.Query().Where(t => t.Due < QueryData.Start.AddMinutes(span) && !t.Done).ToListAsync()).Count;
        var raw = data.Raw.Filter(QueryData.Start.AddMinutes(span)).Count;
        if (expected != raw || expected == 0)
        {
            throw new InvalidOperationException($"Q1 gave {expected} records, the raw query {raw}.");
        }

        var count = context.Sizes.QueryRecords >= 100_000 ? 100 : 50;
        var (ours, theirs) = await QueryTiming.CompareAsync(
            count,
            context.Sizes.LoopLimit,
            async i =>
            {
                var cutoff = Cutoff(i);
                _ = await todos.Query().Where(t => t.Due < cutoff && !t.Done).ToListAsync();
            },
            i => data.Raw.Filter(Cutoff(i)));
        var ratio = QueryTiming.Ms(ours) / QueryTiming.Ms(theirs);
        var details = QueryTiming.Details(ours, theirs);
        details["rows"] = expected;
        return new BenchResult(Id, Title, QueryTiming.Ms(ours), "ms/query", ratio, $"{data.Count:N0} records, {expected:N0} rows per query")
        {
            RatioMeaning = "converge ms / raw SQLite ms (lower is better)",
            Target = "ratio <= 2",
            MeetsTarget = ratio <= 2,
            Details = details,
            Note = "raw: SELECT ... WHERE due < $c AND done = 0 (no ORDER BY; the typed query sorts its rows by id), read into the same records; raw plan: "
                + data.Raw.Plan("SELECT * FROM todos WHERE due < '2025' AND done = 0"),
        };
    }
}
