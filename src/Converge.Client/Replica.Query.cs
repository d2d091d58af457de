using System.Text.Json;
using Converge.Client.Query;
using Converge.Sqlite;
using Microsoft.Data.Sqlite;

namespace Converge.Client;

/// <summary>Queries over the collections' tables: the raw JSON query, the read-only SQL entry point, and local indexes.</summary>
public sealed partial class Replica
{
    /// <summary>
    /// The live records of a collection that pass <paramref name="options"/>' filters, sorted and paged, run in SQLite
    /// (the raw JSON counterpart of <see cref="Typed.ReplicaCollection{T}.Query"/>). Empty when the collection is not declared.
    /// </summary>
    /// <exception cref="ArgumentException">A filter names an undeclared field, or its value does not fit the field.</exception>
    public Task<IReadOnlyList<JsonElement>> QueryAsync(string collection, ReplicaQueryOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(options);
        return ReadTableAsync<IReadOnlyList<JsonElement>>(
            collection,
            (connection, table) =>
            {
                if (table is null)
                {
                    return [];
                }

                var query = RawTranslator.Translate(table, options);
                var columns = table.Columns.Values.OrderBy(c => c.Field, StringComparer.Ordinal).ToList();
                return RowViews.Read(connection, query.Select(columns.Select(c => c.Field), extra: table.Open), query.Parameters, columns, table.Open);
            },
            cancellationToken);
    }

    /// <summary>
    /// Runs one read-only SQL statement over the collections' tables, each a view named after its collection (columns
    /// <c>id</c>, one per declared field, <c>$owner</c> and <c>$extra</c>), for what queries cannot say (joins through refs,
    /// aggregates); rows as JSON objects by column name. Values are bound by name (<c>$due</c>, <c>@due</c> or <c>:due</c>).
    /// </summary>
    /// <remarks>
    /// Runs on its own read-only connection: a statement that would write fails. Decimal and instant columns hold their
    /// JSON text (compare and sort them with <c>COLLATE cv_decimal</c> / <c>COLLATE cv_instant</c>); sets are JSON arrays (<c>json_each</c>).
    /// </remarks>
    /// <exception cref="SqliteException">The statement is not valid SQL, or tries to write.</exception>
    public Task<IReadOnlyList<JsonElement>> QuerySqlAsync(string sql, IReadOnlyDictionary<string, object?>? parameters = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        return ReadAsync(_ => SqlEntryPoint.Run(Path, Stream, sql, parameters), cancellationToken);
    }

    /// <summary>As <see cref="QuerySqlAsync(string, IReadOnlyDictionary{string, object?}?, CancellationToken)"/>, each row read as a <typeparamref name="TRow"/> (by column names).</summary>
    public async Task<IReadOnlyList<TRow>> QuerySqlAsync<TRow>(string sql, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TRow> row, IReadOnlyDictionary<string, object?>? parameters = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        var rows = await QuerySqlAsync(sql, parameters, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => r.Deserialize(row)!)];
    }

    /// <summary>Creates a local index over fields of a collection (in that order); never synced. Idempotent. Returns the index's SQL name.</summary>
    /// <exception cref="ArgumentException">The collection is not declared, or a field is not declared or is a set.</exception>
    public Task<string> CreateIndexAsync(string collection, params string[] fields) => CreateIndexAsync(collection, fields, CancellationToken.None);

    /// <inheritdoc cref="CreateIndexAsync(string, string[])" />
    public Task<string> CreateIndexAsync(string collection, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(fields);
        return IndexWriteAsync(collection, (connection, table) => CollectionTables.CreateIndex(connection, table.Stream, table.Collection, fields), cancellationToken);
    }

    /// <summary>Drops the local index over exactly these fields; false when there was none.</summary>
    public Task<bool> DropIndexAsync(string collection, params string[] fields) => DropIndexAsync(collection, fields, CancellationToken.None);

    /// <inheritdoc cref="DropIndexAsync(string, string[])" />
    public Task<bool> DropIndexAsync(string collection, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(fields);
        return IndexWriteAsync(collection, (connection, table) => CollectionTables.DropIndex(connection, table.Stream, table.Collection, fields), cancellationToken);
    }

    /// <summary>Runs a read over a collection's table (null when the collection is not declared) on a connection that sees this replica's state, pending writes included.</summary>
    internal Task<TResult> ReadTableAsync<TResult>(string collection, Func<SqliteConnection, CollectionTable?, TResult> read, CancellationToken cancellationToken) =>
        ReadFileAsync(reader => read(reader.Connection, reader.FindTable(Stream, collection)), cancellationToken);

    /// <summary>Creates the indexes a typed collection declares; false when the collection has no table yet (try again later).</summary>
    internal Task<bool> EnsureIndexesAsync(string collection, IReadOnlyList<IReadOnlyList<string>> indexes, CancellationToken cancellationToken) =>
        WriteFileAsync(
            file =>
            {
                using var transaction = file.Write();
                if (CollectionTables.Find(file.Connection, Stream, collection) is not { } table)
                {
                    return false;
                }

                foreach (var fields in indexes.Where(f => f.All(table.Columns.ContainsKey)))
                {
                    CollectionTables.CreateIndex(file.Connection, Stream, collection, fields);
                }

                transaction.Commit();
                return true;
            },
            cancellationToken);

    private Task<TResult> IndexWriteAsync<TResult>(string collection, Func<SqliteConnection, CollectionTable, TResult> write, CancellationToken cancellationToken) =>
        WriteFileAsync(
            file =>
            {
                using var transaction = file.Write();
                var table = CollectionTables.Find(file.Connection, Stream, collection) ?? throw new ArgumentException($"The stream's schema has no collection '{collection}'.", nameof(collection));
                var result = write(file.Connection, table);
                transaction.Commit();
                return result;
            },
            cancellationToken);
}
