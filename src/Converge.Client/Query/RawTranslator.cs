using System.Text.Json;
using Converge.Sqlite;

namespace Converge.Client.Query;

/// <summary>Translates a raw JSON query (<see cref="ReplicaQueryOptions"/>) over a collection's table, with every value bound.</summary>
internal static class RawTranslator
{
    /// <exception cref="ArgumentException">A field is not declared, a value does not fit its field, or an operator does not fit it.</exception>
    public static SqlQuery Translate(CollectionTable table, ReplicaQueryOptions options)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Limit ?? 0, nameof(options));
        var parameters = new QueryParameters();
        var where = options.Where.Count == 0 ? "1" : string.Join(" AND ", options.Where.Select(f => Condition(table, f, parameters)));
        var order = string.Concat(options.OrderBy.Select(o => Column(table, o.Field).Sql + (o.Descending ? " DESC" : "") + ", ")) + "id";
        return new SqlQuery(table, where, order, SqlQuery.PageOf(options.Skip, options.Limit, parameters), parameters);
    }

    private static string Condition(CollectionTable table, QueryFilter filter, QueryParameters parameters)
    {
        var (sql, kind) = Column(table, filter.Field);
        if (filter.Operator == QueryOperator.Contains)
        {
            if (kind != ColumnKind.Set || table.Columns[filter.Field].Schema.Type is Core.Schema.FieldType.Decimal or Core.Schema.FieldType.Json)
            {
                throw new ArgumentException($"'{filter.Field}' is not a set of strings, numbers, bools, uuids or instants: Contains needs one.", nameof(filter));
            }

            var elementKind = QueryFields.KindOf(table.Columns[filter.Field].Schema with { Cardinality = Core.Schema.Cardinality.One });
            var collate = elementKind == ColumnKind.Instant ? " COLLATE cv_instant" : "";
            return $"EXISTS (SELECT 1 FROM json_each({sql}) WHERE value = {parameters.Add(Value(filter, elementKind))}{collate})";
        }

        if (filter.Value.ValueKind == JsonValueKind.Null)
        {
            return filter.Operator switch
            {
                QueryOperator.Equal => $"{sql} IS NULL",
                QueryOperator.NotEqual => $"{sql} IS NOT NULL",
                _ => throw new ArgumentException($"'{filter.Field}' cannot be ordered against null; use = or != null.", nameof(filter)),
            };
        }

        if (kind is ColumnKind.Set or ColumnKind.Json && filter.Operator != QueryOperator.Equal && filter.Operator != QueryOperator.NotEqual)
        {
            throw new ArgumentException($"'{filter.Field}' has no order: it compares with = and != only.", nameof(filter));
        }

        var value = parameters.Add(Value(filter, kind == ColumnKind.Set ? ColumnKind.Json : kind));
        return filter.Operator switch
        {
            QueryOperator.Equal => $"{sql} = {value}",
            QueryOperator.NotEqual => $"({sql} IS NULL OR {sql} <> {value})",
            QueryOperator.LessThan => $"{sql} < {value}",
            QueryOperator.LessThanOrEqual => $"{sql} <= {value}",
            QueryOperator.GreaterThan => $"{sql} > {value}",
            _ => $"{sql} >= {value}",
        };
    }

    private static object Value(QueryFilter filter, ColumnKind kind)
    {
        try
        {
            return ColumnValues.Of(kind, filter.Value);
        }
        catch (NotSupportedException)
        {
            throw new ArgumentException($"The value {filter.Value.GetRawText()} does not fit the field '{filter.Field}'.", nameof(filter));
        }
    }

    private static (string Sql, ColumnKind Kind) Column(CollectionTable table, string field) =>
        field == "id" ? ("id", ColumnKind.Uuid)
        : table.Columns.TryGetValue(field, out var column) ? ($"\"{field}\"", column.Kind)
        : throw new ArgumentException($"'{table.Collection}' declares no field '{field}'.", nameof(field));
}
