using System.Collections.Immutable;
using System.Linq.Expressions;
using Converge.Client.Query;

namespace Converge.Client.Tests.Query;

/// <summary>How a query of the property test ends.</summary>
public enum SampleTerminal
{
    ToList,
    Count,
    Any,
    FirstOrDefault,
}

/// <summary>One random query: a filter, sort keys (indexes into <see cref="SampleOrder.All"/>), a page and how it ends.</summary>
public sealed record SampleQuery(Expression? Filter, ImmutableArray<(int Key, bool Descending)> Orders, int? Skip, int? Take, SampleTerminal Terminal)
{
    /// <summary>What the replica query gives: the ids in order, a count, or whether any.</summary>
    internal async Task<string> RunAsync(ReplicaQuery<Sample> query)
    {
        if (Filter is not null)
        {
            query = query.Where(Expression.Lambda<Func<Sample, bool>>(Filter, SampleFilters.Record));
        }

        for (var i = 0; i < Orders.Length; i++)
        {
            query = SampleOrder.All[Orders[i].Key].Apply(query, Orders[i].Descending, then: i > 0);
        }

        query = Skip is { } skip ? query.Skip(skip) : query;
        query = Take is { } take ? query.Take(take) : query;
        return Terminal switch
        {
            SampleTerminal.ToList => Ids((await query.ToListAsync()).Select(t => t.Id)),
            SampleTerminal.Count => (await query.CountAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture),
            SampleTerminal.Any => (await query.AnyAsync()).ToString(),
            _ => (await query.FirstOrDefaultAsync())?.Id.ToString() ?? "none",
        };
    }

    /// <summary>What LINQ to objects gives over the visible records: the same order, ties broken by id.</summary>
    internal string Expected(IEnumerable<Sample> visible)
    {
        if (Filter is not null)
        {
            visible = visible.Where(Expression.Lambda<Func<Sample, bool>>(Filter, SampleFilters.Record).Compile());
        }

        var ordered = visible.OrderBy(_ => 0);
        for (var i = 0; i < Orders.Length; i++)
        {
            ordered = SampleOrder.All[Orders[i].Key].Apply(ordered, Orders[i].Descending, then: true);
        }

        IEnumerable<Sample> page = ordered.ThenBy(t => t.Id);
        page = Skip is { } skip ? page.Skip(skip) : page;
        page = Take is { } take ? page.Take(take) : page;
        return Terminal switch
        {
            SampleTerminal.ToList => Ids(page.Select(t => t.Id)),
            SampleTerminal.Count => page.Count().ToString(System.Globalization.CultureInfo.InvariantCulture),
            SampleTerminal.Any => page.Any().ToString(),
            _ => page.FirstOrDefault()?.Id.ToString() ?? "none",
        };
    }

    public override string ToString()
    {
        var text = "Query()";
        text += Filter is null ? "" : $".Where(t => {new Printable().Visit(Filter)})";
        text += string.Concat(Orders.Select((o, i) => $".{(i == 0 ? "OrderBy" : "ThenBy")}{(o.Descending ? "Descending" : "")}(t => t.{SampleOrder.All[o.Key].Name})"));
        text += Skip is { } skip ? $".Skip({skip})" : "";
        text += Take is { } take ? $".Take({take})" : "";
        return text + $".{Terminal}Async()";
    }

    private static string Ids(IEnumerable<Guid> ids) => "[" + string.Join(", ", ids) + "]";

    /// <summary>Shows a constant array's elements (<c>new [] {1, 2}</c>) where the tree would print <c>value(System.Int64[])</c>.</summary>
    private sealed class Printable : ExpressionVisitor
    {
        protected override Expression VisitConstant(ConstantExpression node) =>
            node.Value is Array array
                ? Expression.NewArrayInit(node.Type.GetElementType()!, array.Cast<object?>().Select(e => Expression.Constant(e, node.Type.GetElementType()!)))
                : node;
    }
}
