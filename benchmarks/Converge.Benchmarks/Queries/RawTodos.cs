using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Converge.Benchmarks.Queries;

/// <summary>
/// The raw SQLite side of Q1-Q5: a plain table with the same columns as the replica's collection table (a rowid table
/// with a text primary key), the same index on the due date and a unique index on the code, WAL and
/// <c>synchronous=NORMAL</c> as the client's; queries read rows into the same <see cref="QueryTodo"/> records.
/// </summary>
internal sealed class RawTodos : IDisposable
{
    private const string Columns = "id, title, done, due, priority, cost, owner, code";

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _filter;
    private readonly SqliteCommand _page;
    private readonly SqliteCommand _lookup;
    private readonly SqliteCommand _insert;

    public RawTodos(string path)
    {
        Path = path;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;");
        Execute("CREATE TABLE IF NOT EXISTS todos (id TEXT NOT NULL PRIMARY KEY, title TEXT, done INTEGER, due TEXT, priority INTEGER, cost TEXT, owner TEXT, code TEXT)");
        Execute("CREATE INDEX IF NOT EXISTS todos_due ON todos (due)");
        Execute("CREATE UNIQUE INDEX IF NOT EXISTS todos_code ON todos (code)");
        // The filter as an app writes it (no ORDER BY: SQLite's plan uses the due index); the typed query also sorts by id.
        _filter = Prepare($"SELECT {Columns} FROM todos WHERE due < $a AND done = 0", "$a");
        _page = Prepare($"SELECT {Columns} FROM todos ORDER BY due, id LIMIT $a OFFSET $b", "$a", "$b");
        _lookup = Prepare($"SELECT {Columns} FROM todos WHERE code = $a LIMIT 1", "$a");
        _insert = Prepare($"INSERT INTO todos ({Columns}) VALUES ($a, $b, $c, $d, $e, $f, $g, $h)", "$a", "$b", "$c", "$d", "$e", "$f", "$g", "$h");
    }

    public string Path { get; }

    /// <summary>Inserts records in one transaction.</summary>
    public void Insert(IEnumerable<QueryTodo> todos)
    {
        Execute("BEGIN IMMEDIATE");
        foreach (var todo in todos)
        {
            var p = _insert.Parameters;
            p[0].Value = todo.Id.ToString("D");
            p[1].Value = todo.Title;
            p[2].Value = todo.Done ? 1L : 0L;
            p[3].Value = QueryData.DueText(todo.Due);
            p[4].Value = todo.Priority;
            p[5].Value = todo.Cost.ToString(CultureInfo.InvariantCulture);
            p[6].Value = todo.Owner.ToString("D");
            p[7].Value = todo.Code;
            _insert.ExecuteNonQuery();
        }

        Execute("COMMIT");
    }

    /// <summary>Q1: not done and due before the cutoff.</summary>
    public List<QueryTodo> Filter(DateTimeOffset cutoff)
    {
        _filter.Parameters[0].Value = QueryData.DueText(cutoff);
        return Read(_filter);
    }

    /// <summary>Q2: a page by due date.</summary>
    public List<QueryTodo> Page(int skip, int take)
    {
        _page.Parameters[0].Value = (long)take;
        _page.Parameters[1].Value = (long)skip;
        return Read(_page);
    }

    /// <summary>Q3: the record with a code.</summary>
    public QueryTodo? Lookup(string code)
    {
        _lookup.Parameters[0].Value = code;
        return Read(_lookup).FirstOrDefault();
    }

    /// <summary>Checkpoints the WAL into the file (TRUNCATE) and returns the file's size and its pages in use.</summary>
    public (long Bytes, long UsedBytes) Checkpoint()
    {
        Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        return (new FileInfo(Path).Length, Scalar("PRAGMA page_size") * (Scalar("PRAGMA page_count") - Scalar("PRAGMA freelist_count")));
    }

    /// <summary>The query plan of a statement, one line per step.</summary>
    public string Plan(string sql) => string.Join(" | ", Rows($"EXPLAIN QUERY PLAN {sql}", 3));

    public void Dispose()
    {
        _filter.Dispose();
        _page.Dispose();
        _lookup.Dispose();
        _insert.Dispose();
        _connection.Dispose();
    }

    private static List<QueryTodo> Read(SqliteCommand command)
    {
        var todos = new List<QueryTodo>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            todos.Add(new QueryTodo
            {
                Id = Guid.Parse(reader.GetString(0)),
                Title = reader.IsDBNull(1) ? null : reader.GetString(1),
                Done = reader.GetInt64(2) != 0,
                Due = DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture),
                Priority = reader.GetInt64(4),
                Cost = decimal.Parse(reader.GetString(5), CultureInfo.InvariantCulture),
                Owner = Guid.Parse(reader.GetString(6)),
                Code = reader.IsDBNull(7) ? null : reader.GetString(7),
            });
        }

        return todos;
    }

    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        return command;
    }

    private long Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private List<string> Rows(string sql, int column)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(column));
        }

        return rows;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
