using System.Collections;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using Converge.Sqlite;

namespace Converge.Client.Query;

/// <summary>
/// Translates a filter over a record type into a SQL condition on the collection's visible table, with every value
/// bound as a parameter. Each comparison of a field is two-valued: a record without the field (a NULL column) matches
/// exactly when the C# comparison matches the value such a record reads as, so the result is what LINQ to objects gives.
/// </summary>
internal sealed partial class WhereTranslator
{
    private readonly ParameterExpression _record;
    private readonly QueryFields _fields;
    private readonly CollectionTable? _table;
    private readonly QueryParameters _parameters;

    private WhereTranslator(ParameterExpression record, QueryFields fields, CollectionTable? table, QueryParameters parameters)
    {
        _record = record;
        _fields = fields;
        _table = table;
        _parameters = parameters;
    }

    /// <summary>The SQL condition of <paramref name="filter"/>.</summary>
    /// <exception cref="NotSupportedException">A part of the filter has no SQL translation; the message names it.</exception>
    public static string Translate(LambdaExpression filter, QueryFields fields, CollectionTable? table, QueryParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new WhereTranslator(filter.Parameters[0], fields, table, parameters).Condition(filter.Body);
    }

    private string Condition(Expression node)
    {
        if (ClosedValue.IsClosed(node, _record))
        {
            return ClosedValue.Evaluate(node) is true ? "1" : "0";
        }

        switch (node)
        {
            case BinaryExpression { NodeType: ExpressionType.AndAlso or ExpressionType.And } both when both.Type == typeof(bool):
                return $"({Condition(both.Left)} AND {Condition(both.Right)})";
            case BinaryExpression { NodeType: ExpressionType.OrElse or ExpressionType.Or } either when either.Type == typeof(bool):
                return $"({Condition(either.Left)} OR {Condition(either.Right)})";
            case UnaryExpression { NodeType: ExpressionType.Not } not when not.Type == typeof(bool):
                return $"(NOT {Condition(not.Operand)})";
            case BinaryExpression { NodeType: ExpressionType.Equal or ExpressionType.NotEqual or ExpressionType.LessThan or ExpressionType.LessThanOrEqual or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual } comparison:
                return Comparison(comparison);
            case MethodCallExpression call:
                return Call(call);
            case MemberExpression { Member.Name: "HasValue", Expression: { } nullable } when Nullable.GetUnderlyingType(nullable.Type) is not null && Operand(nullable) is { } field:
                return Atom(node, field, field.Sql + " IS NOT NULL");
            default:
                if (node.Type == typeof(bool) && Operand(node) is { } flag)
                {
                    return Atom(node, flag, $"{flag.Sql} = 1");
                }

                throw Unsupported(node);
        }
    }

    private string Comparison(BinaryExpression node)
    {
        var (left, right, operation) = (node.Left, node.Right, node.NodeType);
        if (CompareCall(left) is { } call && ClosedValue.IsClosed(right, _record) && ClosedValue.Evaluate(right) is 0)
        {
            // string.CompareOrdinal(t.Name, "m") < 0, t.Due.CompareTo(cutoff) >= 0, ...
            (left, right) = call;
        }
        else if (CompareCall(right) is { } reversed && ClosedValue.IsClosed(left, _record) && ClosedValue.Evaluate(left) is 0)
        {
            (left, right) = reversed;
            operation = Mirror(operation);
        }

        var field = Operand(left);
        if (field is null)
        {
            field = Operand(right) ?? throw Unsupported(node);
            (left, right) = (right, left);
            operation = Mirror(operation);
        }

        if (!ClosedValue.IsClosed(right, _record))
        {
            throw new NotSupportedException($"'{node}' compares a field with something that depends on the record; only comparisons of a field with a value translate to SQL (use QuerySqlAsync for more).");
        }

        var value = ClosedValue.Evaluate(right);
        var sql = value is null ? (operation == ExpressionType.NotEqual ? "1" : "0") : Compare(node, field, operation, value);
        return Atom(node, field, sql);
    }

    private string Compare(Expression node, QueryOperand field, ExpressionType operation, object value)
    {
        if (field.Kind is ColumnKind.Set or ColumnKind.Json)
        {
            throw new NotSupportedException($"'{node}': a {(field.Kind == ColumnKind.Set ? "set" : "JSON")} field compares with null only (sets: use Contains).");
        }

        var symbol = operation switch
        {
            ExpressionType.Equal => "=",
            ExpressionType.NotEqual => "<>",
            ExpressionType.LessThan => "<",
            ExpressionType.LessThanOrEqual => "<=",
            ExpressionType.GreaterThan => ">",
            _ => ">=",
        };
        if (field.Enum is { } type && field.AsNumber && operation is not (ExpressionType.Equal or ExpressionType.NotEqual))
        {
            // Enums are stored by name but order by number, as in C#.
            return $"{EnumNumber(field.Sql, type)} {symbol} {_parameters.Add(Convert.ToInt64(value, CultureInfo.InvariantCulture))}";
        }

        return $"{field.Sql} {symbol} {_parameters.Add(SqlValue(field, value))}";
    }

    /// <summary>Makes a field's condition two-valued, with a record that lacks the field matching as its baseline does in C#.</summary>
    private static string Atom(Expression node, QueryOperand field, string sql)
    {
        if (field.Field is null)
        {
            return sql;
        }

        var absentMatches = AbsentMatches(node, field);
        return (sql, absentMatches) switch
        {
            ("0", true) => $"{field.Sql} IS NULL",
            ("0", false) => "0",
            ("1", true) => "1",
            ("1", false) => $"{field.Sql} IS NOT NULL",
            (_, true) => $"({field.Sql} IS NULL OR {sql})",
            _ => $"({field.Sql} IS NOT NULL AND {sql})",
        };
    }

    /// <summary>What <paramref name="node"/> gives for a record without the field: the node run with the field's baseline in its place.</summary>
    private static bool AbsentMatches(Expression node, QueryOperand field)
    {
        var replaced = new Replacer(field.Member, Expression.Constant(field.Field!.Baseline, field.Member.Type)).Visit(node);
        try
        {
            return ClosedValue.Evaluate(replaced!) is true;
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or ArgumentException)
        {
            // LINQ to objects would throw on such a record (t.Name.Contains(x) with no name); SQL leaves it out.
            return false;
        }
    }

    private QueryOperand? Operand(Expression node) => QueryOperand.Of(node, _record, _fields, _table);

    /// <summary>The SQL value of a C# value compared with a field.</summary>
    private object SqlValue(QueryOperand field, object value)
    {
        var type = QueryOperand.Underlying(value.GetType());
        var property = field.Field is null ? typeof(Guid) : QueryOperand.Underlying(field.Field.Property.PropertyType);
        if (field.Enum is { } enumType && type != enumType)
        {
            value = Enum.ToObject(enumType, value);
            type = enumType;
        }

        if (type == property)
        {
            return ColumnValues.Of(field.Kind, _fields.ToJson(value));
        }

        return (field.Kind, value) switch
        {
            (ColumnKind.Integer or ColumnKind.Real, sbyte or byte or short or ushort or int or uint or long) => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            (ColumnKind.Integer or ColumnKind.Real, float or double) => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            _ => throw new NotSupportedException($"A {value.GetType().Name} cannot be compared with the {field.Kind} field '{field.Field?.Name ?? "id"}' in SQL."),
        };
    }

    /// <summary>The number of an enum stored by name: a CASE over its names.</summary>
    private string EnumNumber(string column, Type type)
    {
        var cases = Enum.GetValuesAsUnderlyingType(type).Cast<object>()
            .Select(number => $" WHEN {_parameters.Add(ColumnValues.Of(ColumnKind.Text, _fields.ToJson(Enum.ToObject(type, number))))} THEN {_parameters.Add(Convert.ToInt64(number, CultureInfo.InvariantCulture))}");
        return $"(CASE {column}{string.Concat(cases)} END)";
    }

    /// <summary>The two sides of <c>string.CompareOrdinal(a, b)</c>, <c>string.Compare(a, b, StringComparison.Ordinal)</c> or <c>a.CompareTo(b)</c> (not on strings: that one is culture-sensitive).</summary>
    private static (Expression, Expression)? CompareCall(Expression node) => node switch
    {
        MethodCallExpression { Method: { Name: "CompareOrdinal", DeclaringType: var t }, Arguments: [var a, var b] } when t == typeof(string) => (a, b),
        MethodCallExpression { Method: { Name: "Compare", DeclaringType: var t }, Arguments: [var a, var b, ConstantExpression { Value: StringComparison.Ordinal }] } when t == typeof(string) => (a, b),
        MethodCallExpression { Method.Name: "CompareTo", Object: { } a, Arguments: [var b] } when a.Type != typeof(string) => (a, b),
        _ => null,
    };

    private static ExpressionType Mirror(ExpressionType operation) => operation switch
    {
        ExpressionType.LessThan => ExpressionType.GreaterThan,
        ExpressionType.LessThanOrEqual => ExpressionType.GreaterThanOrEqual,
        ExpressionType.GreaterThan => ExpressionType.LessThan,
        ExpressionType.GreaterThanOrEqual => ExpressionType.LessThanOrEqual,
        _ => operation,
    };

    private static NotSupportedException Unsupported(Expression node) =>
        new($"'{node}' cannot be translated to SQL. Queries translate comparisons of a field with a value, &&, ||, !, null checks, set Contains, " +
            "a captured list's Contains, string Contains/StartsWith/EndsWith (ordinal) and string.CompareOrdinal; use QuerySqlAsync for anything else.");

    private sealed class Replacer(Expression from, Expression to) : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node) => node == from ? to : base.Visit(node);
    }
}
