using System.Linq.Expressions;
using System.Text.Json;
using Converge.Sqlite;
using Microsoft.Data.Sqlite;

namespace Converge.Client.Query;

/// <summary>Translates and runs a typed query on a connection (the executor moves to the read pool unchanged).</summary>
internal static class TypedQuery
{
    /// <summary>The SQL of a query model over <paramref name="table"/>; translated even without a table, so what cannot be translated always throws.</summary>
    public static SqlQuery? Translate(QueryModel model, QueryFields fields, CollectionTable? table)
    {
        var parameters = new QueryParameters();
        var where = model.Filters.Count == 0 ? "1" : string.Join(" AND ", model.Filters.Select(f => WhereTranslator.Translate(f, fields, table, parameters)));
        // With a filter, no ordering and no Take, every matching row is read anyway: "+id" (same order) keeps SQLite from
        // walking the whole id index to skip a sort, so it can use an index on the filtered field and sort the matches.
        var tie = model.Orderings.Count == 0 && model.Filters.Count > 0 && model.Take is null ? "+id" : "id";
        var order = string.Concat(model.Orderings.Select(o => OrderTranslator.Translate(o, fields, table, parameters) + ", ")) + tie;
        var page = SqlQuery.PageOf(model.Skip, model.Take, parameters);
        return table is null ? null : new SqlQuery(table, where, order, page, parameters);
    }

    /// <summary>The record views the query gives, with the fields of <paramref name="fields"/> the table has.</summary>
    public static List<JsonElement> Views(SqliteConnection connection, SqlQuery query, QueryFields fields)
    {
        var columns = fields.ByName.Keys.Where(query.Table.Columns.ContainsKey).Order(StringComparer.Ordinal).Select(f => query.Table.Columns[f]).ToList();
        return RowViews.Read(connection, query.Select(columns.Select(c => c.Field), extra: false), query.Parameters, columns, extra: false);
    }

    public static long Count(SqliteConnection connection, SqlQuery query) => Scalar(connection, query.Count(), query.Parameters);

    public static bool Any(SqliteConnection connection, SqlQuery query) => Scalar(connection, query.Any(), query.Parameters) != 0;

    /// <summary>The field a selector names (for FindBy).</summary>
    public static QueryOperand FieldOf(LambdaExpression selector, QueryFields fields) =>
        QueryOperand.Of(selector.Body, selector.Parameters[0], fields, null) ?? throw new ArgumentException($"'{selector}' does not select a field of {fields.RecordType.Name}.", nameof(selector));

    private static long Scalar(SqliteConnection connection, string sql, QueryParameters parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        parameters.BindTo(command);
        return (long)command.ExecuteScalar()!;
    }
}
