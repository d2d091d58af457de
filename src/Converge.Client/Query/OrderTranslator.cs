using System.Linq.Expressions;
using Converge.Sqlite;

namespace Converge.Client.Query;

/// <summary>
/// Translates a sort key into SQL that orders as LINQ to objects does: by the field type's order (strings ordinally,
/// enums by number, decimals and instants by value through their collations), records without the field where their
/// baseline value sorts, nulls first.
/// </summary>
internal static class OrderTranslator
{
    /// <summary>The ORDER BY term of one key.</summary>
    /// <exception cref="NotSupportedException">The key is not a field of the record, or a set or JSON field.</exception>
    public static string Translate(QueryOrdering ordering, QueryFields fields, CollectionTable? table, QueryParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(ordering);
        var key = ordering.Key;
        var field = QueryOperand.Of(key.Body, key.Parameters[0], fields, table)
            ?? throw new NotSupportedException($"'{key}' cannot be translated to SQL: a query sorts by a field of the record (t => t.Due); use QuerySqlAsync for computed keys.");
        if (field.Kind is ColumnKind.Set or ColumnKind.Json)
        {
            throw new NotSupportedException($"'{key}' sorts by a {(field.Kind == ColumnKind.Set ? "set" : "JSON")} field, which has no order.");
        }

        var sql = field.Sql;
        var baseline = field.Field?.Baseline;
        if (field.Enum is { } type)
        {
            // Enums are stored by name and sort by number, as in C#.
            var cases = Enum.GetValuesAsUnderlyingType(type).Cast<object>()
                .Select(number => $" WHEN {parameters.Add(ColumnValues.Of(ColumnKind.Text, fields.ToJson(Enum.ToObject(type, number))))} THEN {parameters.Add(Number(number))}");
            sql = $"(CASE {sql}{string.Concat(cases)} END)";
            if (baseline is not null)
            {
                sql = $"coalesce({sql}, {parameters.Add(Number(baseline))})";
            }
        }
        else if (baseline is not null && !(baseline is DateTimeOffset instant && instant == default))
        {
            // A record without the field sorts as its baseline value does. (The default instant is the smallest one, so a
            // bare column, which an index serves, sorts those records first as C# does.)
            var collate = field.Kind switch { ColumnKind.Decimal => " COLLATE cv_decimal", ColumnKind.Instant => " COLLATE cv_instant", _ => "" };
            sql = $"coalesce({sql}, {parameters.Add(ColumnValues.Of(field.Kind, fields.ToJson(baseline)))}){collate}";
        }

        return ordering.Descending ? sql + " DESC" : sql;
    }

    private static long Number(object value) => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
}
