using System.Collections.Immutable;
using System.Linq.Expressions;

namespace Converge.Client.Query;

/// <summary>What a query asks, before translation: filters (all must hold), sort keys in order, and the page.</summary>
internal sealed record QueryModel(ImmutableList<LambdaExpression> Filters, ImmutableList<QueryOrdering> Orderings, int Skip, int? Take)
{
    public static QueryModel Empty { get; } = new([], [], 0, null);
}
