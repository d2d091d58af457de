using System.Text;
using Microsoft.Data.Sqlite;

namespace Converge.Sqlite;

/// <summary>
/// The indexes an app declared on its replica's visible tables: local DDL, recorded in <c>cv_indexes</c> so that a
/// table made again (a reload) gets them back, and never synced.
/// </summary>
/// <remarks>
/// Index names are generated (<c>cvi_&lt;table&gt;_&lt;n&gt;</c>), never derived from user text; fields are checked against
/// the table's columns and quoted. Whoever (re)creates a visible table calls <see cref="Apply"/> after it.
/// </remarks>
internal static class CollectionIndexes
{
    private const string Table = "CREATE TABLE IF NOT EXISTS cv_indexes (stream TEXT NOT NULL, collection TEXT NOT NULL, fields TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (stream, collection, fields))";

    /// <summary>Records and creates an index over <paramref name="fields"/> (in that order); returns its name. Idempotent. Inside the caller's write transaction.</summary>
    /// <exception cref="ArgumentException">A field is not a column of the table, or is a set.</exception>
    public static string Create(SqliteConnection connection, CollectionTable table, IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(table);
        var key = KeyOf(table, fields);
        SqliteText.Execute(connection, Table);
        using var find = Command(connection, "SELECT n FROM cv_indexes WHERE stream = $s AND collection = $c AND fields = $f", table, key);
        var n = find.ExecuteScalar() is long found ? found : NextNumber(connection, table);
        using (var insert = Command(connection, "INSERT OR IGNORE INTO cv_indexes (stream, collection, fields, n) VALUES ($s, $c, $f, $n)", table, key))
        {
            insert.Parameters.AddWithValue("$n", n);
            insert.ExecuteNonQuery();
        }

        var name = NameOf(table, n);
        SqliteText.Execute(connection, $"CREATE INDEX IF NOT EXISTS \"{name}\" ON \"{table.Name}\" ({string.Join(", ", fields.Select(f => $"\"{f}\""))})");
        return name;
    }

    /// <summary>Forgets and drops the index over exactly <paramref name="fields"/>; false when there was none. Inside the caller's write transaction.</summary>
    public static bool Drop(SqliteConnection connection, CollectionTable table, IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(table);
        var key = KeyOf(table, fields);
        SqliteText.Execute(connection, Table);
        using var delete = Command(connection, "DELETE FROM cv_indexes WHERE stream = $s AND collection = $c AND fields = $f RETURNING n", table, key);
        if (delete.ExecuteScalar() is not long n)
        {
            return false;
        }

        SqliteText.Execute(connection, $"DROP INDEX IF EXISTS \"{NameOf(table, n)}\"");
        return true;
    }

    /// <summary>Creates the recorded indexes of a table that lacks them (after the table was made again). Reads only when they all exist.</summary>
    public static void Apply(SqliteConnection connection, CollectionTable table)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(table);
        foreach (var (n, key) in Recorded(connection, table))
        {
            var fields = key.Split('\u001f');
            if (fields.All(table.Columns.ContainsKey))
            {
                SqliteText.Execute(connection, $"CREATE INDEX IF NOT EXISTS \"{NameOf(table, n)}\" ON \"{table.Name}\" ({string.Join(", ", fields.Select(f => $"\"{f}\""))})");
            }
        }
    }

    /// <summary>The recorded indexes of a table: number and field list (fields joined by U+001F).</summary>
    public static IReadOnlyList<(long N, string Fields)> Recorded(SqliteConnection connection, CollectionTable table)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(table);
        if (SqliteText.Scalar(connection, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cv_indexes'") is null)
        {
            return [];
        }

        using var command = Command(connection, "SELECT n, fields FROM cv_indexes WHERE stream = $s AND collection = $c ORDER BY n", table, "");
        using var reader = command.ExecuteReader();
        var found = new List<(long, string)>();
        while (reader.Read())
        {
            found.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return found;
    }

    /// <summary>The SQL name of index number <paramref name="n"/> of a table.</summary>
    public static string NameOf(CollectionTable table, long n)
    {
        ArgumentNullException.ThrowIfNull(table);
        return $"cvi_{table.Name}_{n}";
    }

    private static string KeyOf(CollectionTable table, IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Count == 0)
        {
            throw new ArgumentException("An index needs at least one field.", nameof(fields));
        }

        var key = new StringBuilder();
        foreach (var field in fields)
        {
            if (!table.Columns.TryGetValue(field, out var column))
            {
                throw new ArgumentException($"'{table.Collection}' has no declared field '{field}' to index.", nameof(fields));
            }

            if (column.Kind == ColumnKind.Set)
            {
                throw new ArgumentException($"'{table.Collection}.{field}' is a set: a set is matched through json_each, which an index cannot serve.", nameof(fields));
            }

            key.Append(key.Length == 0 ? "" : "\u001f").Append(field);
        }

        return key.ToString();
    }

    private static long NextNumber(SqliteConnection connection, CollectionTable table)
    {
        using var next = Command(connection, "SELECT coalesce(max(n), 0) + 1 FROM cv_indexes WHERE stream = $s AND collection = $c", table, "");
        return (long)next.ExecuteScalar()!;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, CollectionTable table, string fields)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$s", table.Stream);
        command.Parameters.AddWithValue("$c", table.Collection);
        if (sql.Contains("$f", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("$f", fields);
        }

        return command;
    }
}
