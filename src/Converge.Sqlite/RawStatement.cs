using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Converge.Sqlite;

/// <summary>
/// One statement of the hot paths, prepared once on the connection's native handle and bound by position: no name
/// lookup, no string or array per GUID or body (Microsoft.Data.Sqlite binds every parameter by name on every run).
/// </summary>
/// <remarks>Not thread-safe. Bindings are cleared after each run; dispose before the connection.</remarks>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    /// <summary>Prepares <paramref name="sql"/> (parameters <c>?1</c>, <c>?2</c>, ...) on an open connection.</summary>
    public RawStatement(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        SqliteException.ThrowExceptionForRC(rc, _db);
    }

    /// <summary>Binds an integer.</summary>
    public RawStatement Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    /// <summary>Binds a double.</summary>
    public RawStatement Bind(int index, double value) => Check(raw.sqlite3_bind_double(_statement, index, value));

    /// <summary>Binds a long, a double, a string or (for anything else) null.</summary>
    public RawStatement BindValue(int index, object? value) => value switch
    {
        long l => Bind(index, l),
        double d => Bind(index, d),
        string s => Bind(index, s),
        _ => Check(raw.sqlite3_bind_null(_statement, index)),
    };

    /// <summary>Binds text, or null.</summary>
    public RawStatement Bind(int index, string? value) =>
        value is null ? Check(raw.sqlite3_bind_null(_statement, index)) : Check(raw.sqlite3_bind_text(_statement, index, value));

    /// <summary>Binds a UUID as its lower-case "D" text, the form every table keeps.</summary>
    public RawStatement Bind(int index, Guid value)
    {
        Span<byte> text = stackalloc byte[36];
        value.TryFormat(text, out _, "D");
        return Check(raw.sqlite3_bind_text(_statement, index, text));
    }

    /// <summary>Binds UTF-8 text (copied by SQLite).</summary>
    public RawStatement BindText(int index, ReadOnlySpan<byte> utf8) => Check(raw.sqlite3_bind_text(_statement, index, utf8));

    /// <summary>Binds a blob (copied by SQLite).</summary>
    public RawStatement BindBlob(int index, ReadOnlySpan<byte> value) => Check(raw.sqlite3_bind_blob(_statement, index, value));

    /// <summary>Runs a statement that returns no rows.</summary>
    public void Run()
    {
        try
        {
            StepToRow();
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Runs a statement that returns no rows; returns how many rows it changed.</summary>
    public int Execute()
    {
        Run();
        return raw.sqlite3_changes(_db);
    }

    /// <summary>Every row the statement returns, each read by <paramref name="read"/> (its values are only valid during the call).</summary>
    public List<T> Rows<T>(RowReader<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var rows = new List<T>();
        try
        {
            while (StepToRow())
            {
                rows.Add(read(new RawRow(_statement)));
            }
        }
        finally
        {
            Reset();
        }

        return rows;
    }

    /// <summary>The first row read by <paramref name="read"/>; default when there is none.</summary>
    public T? Row<T>(RowReader<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return StepToRow() ? read(new RawRow(_statement)) : default;
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>The first column of the first row as text; null when there is no row or the value is null.</summary>
    public string? ScalarText()
    {
        try
        {
            return StepToRow() && raw.sqlite3_column_type(_statement, 0) != raw.SQLITE_NULL ? raw.sqlite3_column_text(_statement, 0).utf8_to_string() : null;
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>The first column of the first row as an integer; null when there is no row.</summary>
    public long? ScalarLong()
    {
        try
        {
            return StepToRow() ? raw.sqlite3_column_int64(_statement, 0) : null;
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>The first column of the first row read as a blob by <paramref name="read"/> (the bytes are only valid during
    /// the call); default when there is no row or the value is null.</summary>
    public T? ScalarBlob<T>(BlobReader<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return StepToRow() && raw.sqlite3_column_type(_statement, 0) != raw.SQLITE_NULL ? read(raw.sqlite3_column_blob(_statement, 0)) : default;
        }
        finally
        {
            Reset();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _statement.Dispose();

    /// <summary>Runs one step: true when it stands on a row, false when the statement is done; throws on an error.</summary>
    private bool StepToRow()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc is not raw.SQLITE_DONE and not raw.SQLITE_ROW)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        return rc == raw.SQLITE_ROW;
    }

    private void Reset()
    {
        raw.sqlite3_reset(_statement);
        raw.sqlite3_clear_bindings(_statement);
    }

    private RawStatement Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        return this;
    }
}
