using System.Collections;
using System.Linq.Expressions;
using Converge.Core.Schema;
using Converge.Sqlite;

namespace Converge.Client.Query;

/// <summary>The method calls a filter may make: set membership, a captured list's Contains, ordinal string matching.</summary>
internal sealed partial class WhereTranslator
{
    private string Call(MethodCallExpression call)
    {
        var method = call.Method;
        switch (method.Name)
        {
            case "Contains" when call.Object is { } target && call.Arguments.Count == 1:
                return target.Type == typeof(string) ? StringMatch(call, target, call.Arguments[0], "instr({0}, {1}) > 0") : Contains(call, target, call.Arguments[0]);
            case "Contains" when call.Object is null && call.Arguments.Count == 2 && method.DeclaringType == typeof(Enumerable):
                return Contains(call, call.Arguments[0], call.Arguments[1]);
            case "Contains" when call.Object is null && call.Arguments.Count is 2 or 3 && method.DeclaringType == typeof(MemoryExtensions) && SpanSource(call.Arguments[0]) is { } array:
                // C# 14 binds array.Contains(x) to the span extension; the array is what it reads.
                return Contains(call, array, call.Arguments[1]);
            case "StartsWith" when call.Object is { } target && target.Type == typeof(string) && IsOrdinal(call):
                return StringMatch(call, target, call.Arguments[0], "substr({0}, 1, length({1})) = {1}");
            case "EndsWith" when call.Object is { } target && target.Type == typeof(string) && IsOrdinal(call):
                return StringMatch(call, target, call.Arguments[0], "({1} = '' OR substr({0}, -length({1})) = {1})");
            case "StartsWith" or "EndsWith" when call.Object?.Type == typeof(string):
                throw new NotSupportedException($"'{call}' is culture-sensitive in .NET; pass StringComparison.Ordinal, which SQLite matches exactly.");
            default:
                throw Unsupported(call);
        }
    }

    private static Expression? SpanSource(Expression node) => node switch
    {
        MethodCallExpression { Method.Name: "op_Implicit", Arguments: [var source] } => source,
        UnaryExpression { NodeType: ExpressionType.Convert, Method.Name: "op_Implicit" } convert => convert.Operand,
        _ => null,
    };

    private static bool IsOrdinal(MethodCallExpression call) =>
        call.Arguments is [_, ConstantExpression { Value: StringComparison.Ordinal }];

    /// <summary><c>t.Tags.Contains(x)</c> (set membership through json_each) or <c>ids.Contains(t.Id)</c> (IN).</summary>
    private string Contains(MethodCallExpression call, Expression source, Expression item)
    {
        if (Operand(source) is { } set)
        {
            if (set.Kind != ColumnKind.Set || !ClosedValue.IsClosed(item, _record))
            {
                throw Unsupported(call);
            }

            if (ClosedValue.Evaluate(item) is not { } element)
            {
                return Atom(call, set, "0");
            }

            var elementKind = QueryFields.KindOf(set.Field!.Schema with { Cardinality = Cardinality.One });
            if (elementKind is ColumnKind.Decimal or ColumnKind.Json)
            {
                throw new NotSupportedException($"'{call}': membership in a set of {set.Field.Schema.Type} values does not translate to SQL (json_each does not keep their text).");
            }

            var collate = elementKind == ColumnKind.Instant ? " COLLATE cv_instant" : "";
            var bound = _parameters.Add(ColumnValues.Of(elementKind, _fields.ToJson(element)));
            return Atom(call, set, $"EXISTS (SELECT 1 FROM json_each({set.Sql}) WHERE value = {bound}{collate})");
        }

        if (ClosedValue.IsClosed(source, _record) && Operand(item) is { } field)
        {
            if (field.Kind is ColumnKind.Set or ColumnKind.Json)
            {
                throw Unsupported(call);
            }

            var values = ((IEnumerable?)ClosedValue.Evaluate(source) ?? Array.Empty<object>()).Cast<object?>().Where(v => v is not null).Distinct().ToList();
            var sql = values.Count == 0 ? "0" : $"{field.Sql} IN ({string.Join(", ", values.Select(v => _parameters.Add(SqlValue(field, v!))))})";
            return Atom(call, field, sql);
        }

        throw Unsupported(call);
    }

    private string StringMatch(MethodCallExpression call, Expression target, Expression argument, string format)
    {
        if (Operand(target) is not { Kind: ColumnKind.Text, Enum: null } field || !ClosedValue.IsClosed(argument, _record))
        {
            throw Unsupported(call);
        }

        if (ClosedValue.Evaluate(argument) is not string text)
        {
            throw new NotSupportedException($"'{call}' with a null argument throws in .NET; pass a string.");
        }

        return Atom(call, field, string.Format(System.Globalization.CultureInfo.InvariantCulture, format, field.Sql, _parameters.Add(text)));
    }
}
