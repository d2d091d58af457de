using System.Linq.Expressions;
using System.Reflection;
using FsCheck;
using FsCheck.Fluent;

namespace Converge.Client.Tests.Query;

/// <summary>
/// Random filters over <see cref="Sample"/>, built as the C# compiler builds a lambda's tree (lifted nullable
/// comparisons, enums converted to their number, decimal/instant/uuid operators as method calls), with the values as
/// constants so a failing filter prints readably.
/// </summary>
internal static class SampleFilters
{
    public static readonly ParameterExpression Record = Expression.Parameter(typeof(Sample), "t");

    private static readonly ExpressionType[] Equalities = [ExpressionType.Equal, ExpressionType.NotEqual];

    private static readonly ExpressionType[] Ordered =
    [
        ExpressionType.Equal, ExpressionType.NotEqual, ExpressionType.LessThan, ExpressionType.LessThanOrEqual, ExpressionType.GreaterThan, ExpressionType.GreaterThanOrEqual,
    ];

    private static readonly MethodInfo CompareOrdinal = typeof(string).GetMethod(nameof(string.CompareOrdinal), [typeof(string), typeof(string)])!;
    private static readonly MethodInfo StartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string), typeof(StringComparison)])!;
    private static readonly MethodInfo EndsWith = typeof(string).GetMethod(nameof(string.EndsWith), [typeof(string), typeof(StringComparison)])!;
    private static readonly MethodInfo StringContains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    private static readonly MethodInfo SetContains = typeof(HashSet<string>).GetMethod(nameof(HashSet<string>.Contains))!;

    private static readonly Gen<Expression> Atom = Gen.OneOf(
        Compare("Key", SampleDomain.Keys, Equalities),
        Compare("Title", SampleDomain.Titles, Equalities),
        Ordinal("Title"),
        Ordinal("Key"),
        Guarded(StartsWith),
        Guarded(EndsWith),
        Guarded(StringContains),
        Compare("Rank", SampleDomain.Ranks, Ordered),
        Compare("Size", SampleDomain.Sizes, Ordered),
        Compare("Weight", SampleDomain.Weights, Ordered),
        Compare("Price", SampleDomain.Prices, Ordered),
        Compare("Discount", SampleDomain.Discounts, Ordered),
        Compare("Done", SampleDomain.Bools, Equalities),
        Compare("Flag", SampleDomain.Flags, Equalities),
        Compare("Due", SampleDomain.Instants, Ordered),
        Compare("Seen", SampleDomain.MaybeInstants, Ordered),
        Compare("Token", SampleDomain.Tokens, Ordered),
        Compare("Visits", [-1L, 0L, 1L, 3L], Ordered),
        Enum("Level", typeof(int), SampleDomain.Levels.Select(l => (object?)(int)l).ToArray()),
        Enum("Maybe", typeof(int?), SampleDomain.MaybeLevels.Select(l => (object?)(int?)l).ToArray()),
        Gen.Elements<Expression>(Field("Done"), HasValue("Size"), HasValue("Discount"), HasValue("Flag"), HasValue("Seen"), HasValue("Maybe")),
        Gen.Elements(SampleDomain.TagValues).Select(tag => (Expression)Expression.Call(Field("Tags"), SetContains, Expression.Constant(tag))),
        Gen.SubListOf(SampleDomain.Titles).Select(titles => In("Title", titles.ToArray())),
        Gen.SubListOf(SampleDomain.Ranks).Select(ranks => In("Rank", ranks.ToArray())));

    /// <summary>A filter of at most <paramref name="depth"/> levels of &amp;&amp;, || and !.</summary>
    public static Gen<Expression> Filter(int depth) => depth == 0
        ? Atom
        : Gen.Frequency(
            (3, Atom),
            (2, Filter(depth - 1).Two().Select(p => (Expression)Expression.AndAlso(p.Item1, p.Item2))),
            (2, Filter(depth - 1).Two().Select(p => (Expression)Expression.OrElse(p.Item1, p.Item2))),
            (1, Filter(depth - 1).Select(f => (Expression)Expression.Not(f))));

    /// <summary>Smaller filters that may still fail: each side of an &amp;&amp; or ||, the operand of a !.</summary>
    public static IEnumerable<Expression> Shrink(Expression filter) => filter switch
    {
        BinaryExpression { NodeType: ExpressionType.AndAlso, Right: MethodCallExpression } => [], // a null guard and its string call stay together
        BinaryExpression { NodeType: ExpressionType.AndAlso or ExpressionType.OrElse } both =>
            [both.Left, both.Right, .. Shrink(both.Left).Select(l => both.Update(l, null, both.Right)), .. Shrink(both.Right).Select(r => both.Update(both.Left, null, r))],
        UnaryExpression { NodeType: ExpressionType.Not } not => [not.Operand, .. Shrink(not.Operand).Select(o => not.Update(o))],
        _ => [],
    };

    private static MemberExpression Field(string name) => Expression.Property(Record, name);

    private static Expression HasValue(string name) => Expression.Property(Field(name), "HasValue");

    private static Gen<Expression> Compare<TValue>(string name, TValue[] values, ExpressionType[] operators)
    {
        var field = Field(name);
        return from op in Gen.Elements(operators)
               from value in Gen.Elements(values)
               select (Expression)Expression.MakeBinary(op, field, Expression.Constant(value, field.Type));
    }

    private static Gen<Expression> Enum(string name, Type number, object?[] values) =>
        from op in Gen.Elements(Ordered)
        from value in Gen.Elements(values)
        select (Expression)Expression.MakeBinary(op, Expression.Convert(Field(name), number), Expression.Constant(value, number));

    /// <summary><c>string.CompareOrdinal(t.Title, "b") &lt; 0</c>.</summary>
    private static Gen<Expression> Ordinal(string name) =>
        from op in Gen.Elements(Ordered)
        from value in Gen.Elements(SampleDomain.Titles.Where(t => t is not null).ToArray())
        select (Expression)Expression.MakeBinary(op, Expression.Call(CompareOrdinal, Field(name), Expression.Constant(value)), Expression.Constant(0));

    /// <summary><c>t.Title != null &amp;&amp; t.Title.StartsWith("a", StringComparison.Ordinal)</c> (the guard keeps LINQ to objects from throwing).</summary>
    private static Gen<Expression> Guarded(MethodInfo method) =>
        Gen.Elements(SampleDomain.Titles.Where(t => t is not null).ToArray()).Select(value =>
        {
            var title = Field("Title");
            Expression[] arguments = method.GetParameters().Length == 2 ? [Expression.Constant(value), Expression.Constant(StringComparison.Ordinal)] : [Expression.Constant(value)];
            return (Expression)Expression.AndAlso(Expression.NotEqual(title, Expression.Constant(null, typeof(string))), Expression.Call(title, method, arguments));
        });

    /// <summary><c>new[] { ... }.Contains(t.Title)</c> through <see cref="Enumerable.Contains{TSource}(IEnumerable{TSource}, TSource)"/>.</summary>
    private static Expression In<TValue>(string name, TValue[] values) =>
        Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(TValue)], Expression.Constant(values), Field(name));
}
