using Converge.Benchmarks.Harness;

namespace Converge.Benchmarks.Queries;

/// <summary>Q2: <c>OrderBy(t => t.Due).Take(20)</c>, and a page further in (<c>Skip(1000)</c>), over the indexed due date; against the same page of the raw table.</summary>
internal sealed class QueryPageScenario : IScenario
{
    private const int PageSize = 20;

    private const int Further = 1_000;

    public string Id => "Q2";

    public string Title => "top-20 page sorted by an indexed field";

    public async Task<BenchResult> RunAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = await QueryFixture.GetAsync(context);
        var todos = data.Todos;
        var first = await todos.Query().OrderBy(t => t.Due).Take(PageSize).ToListAsync();
        if (!first.Select(t => t.Id).SequenceEqual(data.Raw.Page(0, PageSize).Select(t => t.Id)))
        {
            throw new InvalidOperationException("Q2's first page differs from the raw query's.");
        }

        var count = 1_000;
        var (top, rawTop) = await QueryTiming.CompareAsync(
            count,
            context.Sizes.LoopLimit,
            async _ => await todos.Query().OrderBy(t => t.Due).Take(PageSize).ToListAsync(),
            _ => data.Raw.Page(0, PageSize));
        var (deep, rawDeep) = await QueryTiming.CompareAsync(
            count / 2,
            context.Sizes.LoopLimit,
            async _ => await todos.Query().OrderBy(t => t.Due).Skip(Further).Take(PageSize).ToListAsync(),
            _ => data.Raw.Page(Further, PageSize));
        var ratio = QueryTiming.Ms(top) / QueryTiming.Ms(rawTop);
        var deepRatio = QueryTiming.Ms(deep) / QueryTiming.Ms(rawDeep);
        var details = QueryTiming.Details(top, rawTop);
        foreach (var (key, value) in QueryTiming.Details(deep, rawDeep, "skip1000."))
        {
            details[key] = value;
        }

        details["skip1000.ratio"] = deepRatio;
        return new BenchResult(Id, Title, QueryTiming.Ms(top), "ms/query", ratio, $"{data.Count:N0} records")
        {
            RatioMeaning = "converge ms / raw SQLite ms, first page (lower is better); skip1000.* for Skip(1000).Take(20)",
            Target = "ratio <= 2 (both pages)",
            MeetsTarget = ratio <= 2 && deepRatio <= 2,
            Details = details,
            Note = "raw: SELECT ... ORDER BY due, id LIMIT 20 OFFSET n; raw plan: " + data.Raw.Plan("SELECT * FROM todos ORDER BY due, id LIMIT 20"),
        };
    }
}
