using Microsoft.Data.Sqlite;

namespace Converge.Sqlite;

/// <summary>
/// The prepared statements of one collection table: a row is <c>"$owner"</c>, the declared fields' columns in ordinal
/// field order, and <c>"$extra"</c> for an open collection, as an array of values (<see cref="RawRow.GetValue"/>).
/// </summary>
/// <remarks>Not thread-safe; made again when the table's columns change.</remarks>
internal sealed class TableRows : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly string _columnList;
    private readonly Dictionary<string, RawStatement> _setUpdates = new(StringComparer.Ordinal);
    private RawStatement? _upsert;
    private RawStatement? _select;
    private RawStatement? _delete;

    public TableRows(SqliteConnection connection, CollectionTable table)
    {
        _connection = connection;
        Table = table;
        Fields = [.. table.Columns.Values.OrderBy(c => c.Field, StringComparer.Ordinal)];
        Index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Fields.Length; i++)
        {
            Index[Fields[i].Field] = i + 1;
        }

        Width = Fields.Length + (table.Open ? 2 : 1);
        _columnList = "\"$owner\"" + string.Concat(Fields.Select(f => ", " + f.SqlName)) + (table.Open ? ", \"$extra\"" : "");
    }

    public CollectionTable Table { get; }

    /// <summary>The declared fields' columns, in row order (after <c>"$owner"</c>).</summary>
    public TableColumn[] Fields { get; }

    /// <summary>A declared field's position in a row.</summary>
    public Dictionary<string, int> Index { get; }

    /// <summary>How many values a row has.</summary>
    public int Width { get; }

    /// <summary>The position of <c>"$extra"</c> in a row (open collections only).</summary>
    public int Extra => Width - 1;

    /// <summary>The SQL list of a row's columns, in row order.</summary>
    public string ColumnList => _columnList;

    public void Upsert(Guid id, object?[] row)
    {
        _upsert ??= new RawStatement(_connection, $"INSERT INTO {Table.Name} (id, {_columnList}) VALUES (?1{string.Concat(Enumerable.Range(2, Width).Select(i => $", ?{i}"))}) ON CONFLICT (id) DO UPDATE SET {string.Join(", ", Columns().Select(c => $"{c} = excluded.{c}"))}");
        _upsert.Bind(1, id);
        for (var i = 0; i < row.Length; i++)
        {
            _upsert.BindValue(i + 2, row[i]);
        }

        _upsert.Run();
    }

    public object?[]? Select(Guid id)
    {
        _select ??= new RawStatement(_connection, $"SELECT {_columnList} FROM {Table.Name} WHERE id = ?1");
        var width = Width;
        return _select.Bind(1, id).Row(r =>
        {
            var row = new object?[width];
            for (var i = 0; i < width; i++)
            {
                row[i] = r.GetValue(i);
            }

            return row;
        });
    }

    public void Delete(Guid id) => (_delete ??= new RawStatement(_connection, $"DELETE FROM {Table.Name} WHERE id = ?1")).Bind(1, id).Run();

    public void UpdateSet(Guid id, string field, string? array)
    {
        if (!_setUpdates.TryGetValue(field, out var update))
        {
            update = new RawStatement(_connection, $"UPDATE {Table.Name} SET \"{field}\" = ?2 WHERE id = ?1");
            _setUpdates[field] = update;
        }

        update.Bind(1, id).Bind(2, array).Run();
    }

    public void Dispose()
    {
        _upsert?.Dispose();
        _select?.Dispose();
        _delete?.Dispose();
        foreach (var update in _setUpdates.Values)
        {
            update.Dispose();
        }
    }

    private IEnumerable<string> Columns() => Fields.Select(f => f.SqlName).Prepend("\"$owner\"").Concat(Table.Open ? ["\"$extra\""] : []);
}
