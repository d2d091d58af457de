using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;

namespace Converge.Client.Tests.Query;

/// <summary>
/// FsCheck's generator and shrinker of <see cref="QueryCase"/>s. A failing case shrinks to the one query that fails,
/// then to its smallest failing filter, sort and page, then to the fewest writes that still make it fail.
/// </summary>
internal static class QueryArbitraries
{
    private const int Slots = 12;

    private static readonly Gen<SampleStep> Step =
        from kind in Gen.Frequency(
            (7, Gen.Constant(SampleStepKind.Create)),
            (5, Gen.Constant(SampleStepKind.Update)),
            (1, Gen.Constant(SampleStepKind.AddTag)),
            (1, Gen.Constant(SampleStepKind.RemoveTag)),
            (1, Gen.Constant(SampleStepKind.Increment)),
            (1, Gen.Constant(SampleStepKind.Delete)))
        from writer in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Constant(1)))
        from slot in Gen.Choose(0, Slots - 1)
        from field in Gen.Choose(1, SampleDomain.Fields.Length - 1)
        from pick in Gen.Choose(0, 1000)
        from mask in Gen.Choose(0, (1 << (SampleDomain.Fields.Length + 1)) - 1)
        select new SampleStep(kind, writer, slot, field, pick, mask);

    private static readonly Gen<Guid> Id = Gen.ArrayOf(Gen.Choose(0, 255), 16).Select(b => new Guid([.. b.Select(x => (byte)x)]));

    private static readonly Gen<SampleQuery> Query =
        from filter in Gen.Frequency((1, Gen.Constant<System.Linq.Expressions.Expression?>(null)), (6, SampleFilters.Filter(3).Select(f => (System.Linq.Expressions.Expression?)f)))
        from orderCount in Gen.Frequency((2, Gen.Constant(0)), (3, Gen.Constant(1)), (2, Gen.Constant(2)), (1, Gen.Constant(3)))
        from orders in Gen.ArrayOf(Gen.Choose(0, SampleOrder.All.Count - 1).Zip(Gen.Elements(false, true)), orderCount)
        from skip in Gen.Frequency((3, Gen.Constant<int?>(null)), (1, Gen.Choose(0, 6).Select(s => (int?)s)))
        from take in Gen.Frequency((3, Gen.Constant<int?>(null)), (1, Gen.Choose(0, 6).Select(t => (int?)t)))
        from terminal in Gen.Frequency((4, Gen.Constant(SampleTerminal.ToList)), (1, Gen.Constant(SampleTerminal.Count)), (1, Gen.Constant(SampleTerminal.Any)), (1, Gen.Constant(SampleTerminal.FirstOrDefault)))
        select new SampleQuery(filter, [.. orders], skip, take, terminal);

    /// <summary>Cases of <paramref name="steps"/> writes and <paramref name="queries"/> queries.</summary>
    public static Arbitrary<QueryCase> Cases(int steps, int queries) =>
        Arb.From(
            from ids in Gen.ArrayOf(Id, Slots)
            from written in Gen.ArrayOf(Step, steps)
            from syncAt in Gen.Frequency((1, Gen.Constant(-1)), (3, Gen.Choose(0, steps)))
            from asked in Gen.ArrayOf(Query, queries)
            select new QueryCase(new SampleScript([.. ids], [.. written], syncAt), [.. asked]),
            Shrink);

    private static IEnumerable<QueryCase> Shrink(QueryCase failing)
    {
        var queries = failing.Queries;
        if (queries.Length > 1)
        {
            foreach (var query in queries)
            {
                yield return failing with { Queries = [query] };
            }

            yield break;
        }

        foreach (var query in queries.SelectMany(ShrinkQuery))
        {
            yield return failing with { Queries = [query] };
        }

        var script = failing.Script;
        var steps = script.Steps;
        if (steps.Length >= 4)
        {
            yield return failing with { Script = script with { Steps = steps[(steps.Length / 2)..], SyncAt = script.SyncAt < 0 ? -1 : Math.Max(0, script.SyncAt - (steps.Length / 2)) } };
            yield return failing with { Script = script with { Steps = steps[..(steps.Length / 2)], SyncAt = Math.Min(script.SyncAt, steps.Length / 2) } };
        }

        for (var i = 0; i < steps.Length; i++)
        {
            yield return failing with { Script = script with { Steps = steps.RemoveAt(i), SyncAt = script.SyncAt > i ? script.SyncAt - 1 : script.SyncAt } };
        }

        if (script.SyncAt >= 0)
        {
            yield return failing with { Script = script with { SyncAt = -1 } };
        }
    }

    private static IEnumerable<SampleQuery> ShrinkQuery(SampleQuery query)
    {
        if (query.Filter is { } filter)
        {
            yield return query with { Filter = null };
            foreach (var smaller in SampleFilters.Shrink(filter))
            {
                yield return query with { Filter = smaller };
            }
        }

        for (var i = 0; i < query.Orders.Length; i++)
        {
            yield return query with { Orders = query.Orders.RemoveAt(i) };
        }

        if (query.Skip is not null)
        {
            yield return query with { Skip = null };
        }

        if (query.Take is not null)
        {
            yield return query with { Take = null };
        }

        if (query.Terminal != SampleTerminal.ToList)
        {
            yield return query with { Terminal = SampleTerminal.ToList };
        }
    }
}
