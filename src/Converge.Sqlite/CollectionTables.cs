using Converge.Core.Export;
using Converge.Core.Schema;
using Microsoft.Data.Sqlite;

namespace Converge.Sqlite;

/// <summary>
/// The collection tables of a file (<c>cv_tables</c>): finding them for queries, and creating or altering them as a
/// stream's schema grows (in the caller's transaction), with the unique fields' indexes and the local indexes
/// (<c>cv_indexes</c>) an app declared, which are re-created whenever a table is.
/// </summary>
internal static class CollectionTables
{
    /// <summary>The table of one collection of a stream; null when the stream declares no such collection.</summary>
    public static CollectionTable? Find(SqliteConnection connection, string stream, string collection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM cv_tables WHERE stream = $s AND collection = $c";
        command.Parameters.AddWithValue("$s", stream);
        command.Parameters.AddWithValue("$c", collection);
        return command.ExecuteScalar() is string name && ReadStoredSchema(connection, stream) is { } schema ? schema.Table(collection, name) : null;
    }

    /// <summary>Every collection table of a stream, by collection name (ordinal).</summary>
    public static IReadOnlyList<CollectionTable> List(SqliteConnection connection, string stream)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var schema = ReadSchema(connection, stream);
        var tables = new List<CollectionTable>();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT collection, name FROM cv_tables WHERE stream = $s ORDER BY collection";
        command.Parameters.AddWithValue("$s", stream);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (schema.FindCollection(reader.GetString(0)) is { } declared)
            {
                tables.Add(Describe(stream, reader.GetString(0), reader.GetString(1), declared));
            }
        }

        return tables;
    }

    /// <summary>The table of a declared collection, as its declaration shapes it.</summary>
    public static CollectionTable Describe(string stream, string collection, string name, CollectionSchema declared)
    {
        ArgumentNullException.ThrowIfNull(declared);
        var columns = declared.Fields.ToDictionary(f => f.Key, f => new TableColumn(f.Key, f.Value, TableColumn.KindOf(f.Value)), StringComparer.Ordinal);
        return new CollectionTable(stream, collection, name, declared.Open, columns);
    }

    /// <summary>
    /// Creates the tables of the collections <paramref name="schema"/> declares that have none, and adds the columns of
    /// fields declared since (additive only). Returns, by collection, the fields newly declared in an existing open
    /// collection: their values still sit in <c>"$extra"</c> until the caller rewrites those rows.
    /// </summary>
    public static Dictionary<string, List<string>> Ensure(SqliteConnection connection, string stream, StreamSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var existing = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT collection, name FROM cv_tables WHERE stream = $s";
            command.Parameters.AddWithValue("$s", stream);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                existing[reader.GetString(0)] = reader.GetString(1);
            }
        }

        var moved = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (collection, declared) in schema.Collections)
        {
            if (!existing.TryGetValue(collection, out var name))
            {
                Create(connection, stream, collection, declared);
                continue;
            }

            var columns = Columns(connection, name);
            foreach (var (field, fieldSchema) in declared.Fields)
            {
                if (columns.Contains(field))
                {
                    continue;
                }

                SqliteText.Execute(connection, $"ALTER TABLE {name} ADD COLUMN \"{field}\" {TableColumn.SqlType(TableColumn.KindOf(fieldSchema))}");
                UniqueIndex(connection, name, field, fieldSchema);
                if (declared.Open)
                {
                    (moved.TryGetValue(collection, out var list) ? list : moved[collection] = []).Add(field);
                }
            }
        }

        return moved;
    }

    /// <summary>Drops every collection table of a stream (its local index declarations stay, for the tables made next).</summary>
    public static void DropAll(SqliteConnection connection, string stream)
    {
        var names = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM cv_tables WHERE stream = $s";
            command.Parameters.AddWithValue("$s", stream);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }

        foreach (var name in names)
        {
            SqliteText.Execute(connection, $"DROP TABLE IF EXISTS {name}");
        }

        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM cv_tables WHERE stream = $s";
        delete.Parameters.AddWithValue("$s", stream);
        delete.ExecuteNonQuery();
    }

    /// <summary>
    /// Declares a local index on fields of a collection (never synced) and creates it now if the table exists; an index
    /// on the same fields already declared is kept. Returns the index name.
    /// </summary>
    /// <exception cref="ArgumentException">No fields, or a field the collection does not declare (or a set).</exception>
    public static string CreateIndex(SqliteConnection connection, string stream, string collection, IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Count == 0)
        {
            throw new ArgumentException("An index needs at least one field.", nameof(fields));
        }

        var declared = ReadSchema(connection, stream).FindCollection(collection) ?? throw new ArgumentException($"The stream declares no collection '{collection}'.", nameof(collection));
        foreach (var field in fields)
        {
            if (!declared.Fields.TryGetValue(field, out var schema) || schema.IsSet)
            {
                throw new ArgumentException($"'{collection}.{field}' is not a declared single-valued field, so it has no column to index.", nameof(fields));
            }
        }

        var list = string.Join(",", fields);
        using (var find = connection.CreateCommand())
        {
            find.CommandText = "SELECT name FROM cv_indexes WHERE stream = $s AND collection = $c AND fields = $f";
            find.Parameters.AddWithValue("$s", stream);
            find.Parameters.AddWithValue("$c", collection);
            find.Parameters.AddWithValue("$f", list);
            if (find.ExecuteScalar() is string known)
            {
                return known;
            }
        }

        var name = "cvi_" + SqliteText.Scalar(connection, "SELECT COALESCE(MAX(seq), 0) + 1 FROM cv_indexes");
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO cv_indexes (seq, name, stream, collection, fields) VALUES (CAST(substr($n, 5) AS INTEGER), $n, $s, $c, $f)";
            insert.Parameters.AddWithValue("$n", name);
            insert.Parameters.AddWithValue("$s", stream);
            insert.Parameters.AddWithValue("$c", collection);
            insert.Parameters.AddWithValue("$f", list);
            insert.ExecuteNonQuery();
        }

        if (TableName(connection, stream, collection) is { } table)
        {
            CreateLocalIndex(connection, table, name, list);
        }

        return name;
    }

    /// <summary>Drops a local index on these fields, if one is declared; true when one was.</summary>
    public static bool DropIndex(SqliteConnection connection, string stream, string collection, IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(fields);
        using var find = connection.CreateCommand();
        find.CommandText = "DELETE FROM cv_indexes WHERE stream = $s AND collection = $c AND fields = $f RETURNING name";
        find.Parameters.AddWithValue("$s", stream);
        find.Parameters.AddWithValue("$c", collection);
        find.Parameters.AddWithValue("$f", string.Join(",", fields));
        if (find.ExecuteScalar() is not string name)
        {
            return false;
        }

        SqliteText.Execute(connection, $"DROP INDEX IF EXISTS {name}");
        return true;
    }

    /// <summary>The generated name of a collection's table, or null.</summary>
    public static string? TableName(SqliteConnection connection, string stream, string collection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM cv_tables WHERE stream = $s AND collection = $c";
        command.Parameters.AddWithValue("$s", stream);
        command.Parameters.AddWithValue("$c", collection);
        return command.ExecuteScalar() as string;
    }

    private static void Create(SqliteConnection connection, string stream, string collection, CollectionSchema declared)
    {
        var name = "cvt_" + SqliteText.Scalar(connection, "SELECT COALESCE(MAX(CAST(substr(name, 5) AS INTEGER)), 0) + 1 FROM cv_tables");
        var columns = string.Concat(declared.Fields.Select(f => $", \"{f.Key}\" {TableColumn.SqlType(TableColumn.KindOf(f.Value))}"));
        var extra = declared.Open ? ", \"$extra\" TEXT" : "";

        // A rowid table: a secondary index then holds the 8-byte rowid, not the 36-byte id text.
        SqliteText.Execute(connection, $"CREATE TABLE {name} (id TEXT NOT NULL PRIMARY KEY, \"$owner\" TEXT{columns}{extra})");
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO cv_tables (stream, collection, name) VALUES ($s, $c, $n)";
            insert.Parameters.AddWithValue("$s", stream);
            insert.Parameters.AddWithValue("$c", collection);
            insert.Parameters.AddWithValue("$n", name);
            insert.ExecuteNonQuery();
        }

        foreach (var (field, schema) in declared.Fields)
        {
            UniqueIndex(connection, name, field, schema);
        }

        using var local = connection.CreateCommand();
        local.CommandText = "SELECT name, fields FROM cv_indexes WHERE stream = $s AND collection = $c ORDER BY seq";
        local.Parameters.AddWithValue("$s", stream);
        local.Parameters.AddWithValue("$c", collection);
        using var reader = local.ExecuteReader();
        var indexes = new List<(string, string)>();
        while (reader.Read())
        {
            indexes.Add((reader.GetString(0), reader.GetString(1)));
        }

        reader.Close();
        foreach (var (index, fields) in indexes)
        {
            if (fields.Split(',').All(declared.Fields.ContainsKey))
            {
                CreateLocalIndex(connection, name, index, fields);
            }
        }
    }

    private static void UniqueIndex(SqliteConnection connection, string table, string field, FieldSchema schema)
    {
        // Not UNIQUE: the merge engine keeps live values unique; the index is for lookups by the value.
        if (schema.Unique != UniqueKind.None && !schema.IsSet)
        {
            SqliteText.Execute(connection, $"CREATE INDEX IF NOT EXISTS \"{table}_u_{field}\" ON {table} (\"{field}\")");
        }
    }

    private static void CreateLocalIndex(SqliteConnection connection, string table, string index, string fields) =>
        SqliteText.Execute(connection, $"CREATE INDEX IF NOT EXISTS {index} ON {table} ({string.Join(", ", fields.Split(',').Select(f => $"\"{f}\""))})");

    private static HashSet<string> Columns(SqliteConnection connection, string table)
    {
        var columns = new HashSet<string>(StringComparer.Ordinal);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    private static StreamSchema ReadSchema(SqliteConnection connection, string stream) => ReadStoredSchema(connection, stream)?.Schema ?? StreamSchema.Empty;

    /// <summary>The stream's stored schema, parsed once per distinct stored body (see <see cref="ParsedSchemaCache"/>); null when none is stored.</summary>
    private static ParsedSchemaCache.Entry? ReadStoredSchema(SqliteConnection connection, string stream)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM cv_schema WHERE stream = $s";
        command.Parameters.AddWithValue("$s", stream);
        return command.ExecuteScalar() is byte[] body ? ParsedSchemaCache.Get(stream, body) : null;
    }
}
