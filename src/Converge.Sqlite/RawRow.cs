using SQLitePCL;

namespace Converge.Sqlite;

/// <summary>The row a <see cref="RawStatement"/> stands on, read by column position; valid only inside a <see cref="RowReader{T}"/>.</summary>
internal readonly ref struct RawRow
{
    private readonly sqlite3_stmt _statement;

    internal RawRow(sqlite3_stmt statement)
    {
        _statement = statement;
    }

    /// <summary>True when the column's value is null.</summary>
    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    /// <summary>The column as an integer.</summary>
    public long GetInt64(int column) => raw.sqlite3_column_int64(_statement, column);

    /// <summary>The column as an integer, or null.</summary>
    public long? GetInt64OrNull(int column) => IsNull(column) ? null : GetInt64(column);

    /// <summary>The column as a double.</summary>
    public double GetDouble(int column) => raw.sqlite3_column_double(_statement, column);

    /// <summary>The column's value as a long, a double, a string or null (by its storage class).</summary>
    public object? GetValue(int column) => raw.sqlite3_column_type(_statement, column) switch
    {
        raw.SQLITE_NULL => null,
        raw.SQLITE_INTEGER => GetInt64(column),
        raw.SQLITE_FLOAT => GetDouble(column),
        _ => GetText(column),
    };

    /// <summary>The column as text.</summary>
    public string GetText(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

    /// <summary>The column as text, or null.</summary>
    public string? GetTextOrNull(int column) => IsNull(column) ? null : GetText(column);

    /// <summary>The column as a UUID kept as its "D" text.</summary>
    public Guid GetGuid(int column) => Guid.ParseExact(GetText(column), "D");

    /// <summary>The column's bytes, valid only during the row's reader.</summary>
    public ReadOnlySpan<byte> GetBlob(int column) => raw.sqlite3_column_blob(_statement, column);
}
