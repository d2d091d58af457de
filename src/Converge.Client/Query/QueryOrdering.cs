using System.Linq.Expressions;

namespace Converge.Client.Query;

/// <summary>One sort key of a query.</summary>
internal sealed record QueryOrdering(LambdaExpression Key, bool Descending);
