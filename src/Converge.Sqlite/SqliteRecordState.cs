using System.Collections.Immutable;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Schema;
using Converge.Core.Serialization;
using System.Buffers;
using System.Text.Json;
using Converge.Core.State;
using Microsoft.Data.Sqlite;

namespace Converge.Sqlite;

/// <summary>
/// The merge engine's state of one stream in the <c>cv_*</c> tables of a SQLite connection. Commands are
/// prepared once per instance (the per-action ones on the native handle, bound by position); transactions are the
/// caller's (plain <c>BEGIN IMMEDIATE</c>/<c>COMMIT</c>).
/// </summary>
/// <remarks>
/// Not thread-safe: one instance per connection. The schema, and whether the stream has any alias at all, are cached
/// until <see cref="Invalidate"/>: call it after a rollback, or when another connection may have written.
/// </remarks>
internal sealed class SqliteRecordState : IStoredRecordState, IExportableState, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly string _stream;
    private readonly SqliteStatements _sql;
    private ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _writer;
    private RawStatement? _getRecord;
    private RawStatement? _upsertRecord;
    private RawStatement? _getAlias;
    private RawStatement? _anyAlias;
    private RawStatement? _getElement;
    private RawStatement? _upsertElement;
    private RawStatement? _deleteElement;
    private StreamSchema? _schema;
    private bool _schemaUnwritten;
    private bool? _anyAliases;

    /// <summary>Binds to a stream's rows on an open connection whose record-state tables exist.</summary>
    public SqliteRecordState(SqliteConnection connection, string stream)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(stream);
        _connection = connection;
        _stream = stream;
        _sql = new SqliteStatements(connection);
        _writer = new Utf8JsonWriter(_buffer, CanonicalJson.WriterOptions);
    }

    /// <summary>Forgets the cached schema, so the next read sees what another connection wrote.</summary>
    public void Invalidate()
    {
        _schema = null;
        _schemaUnwritten = false;
        _anyAliases = null;
    }

    /// <inheritdoc />
    public StreamSchema GetSchema()
    {
        if (_schema is not null)
        {
            return _schema;
        }

        var command = _sql.Get("SELECT body FROM cv_schema WHERE stream = $s", "$s");
        command.Parameters[0].Value = _stream;
        _schema = command.ExecuteScalar() is byte[] body ? SchemaJson.Deserialize(body) : StreamSchema.Empty;
        return _schema;
    }

    /// <inheritdoc />
    public void SetSchema(StreamSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (DeferSchemaWrites)
        {
            _schema = schema;
            _schemaUnwritten = true;
            return;
        }

        WriteSchema(schema);
    }

    /// <summary>
    /// True to keep schema changes in memory until <see cref="FlushSchema"/>, so many schema actions in one transaction
    /// write the schema once. Default false. Whoever sets it must flush before committing (and <see cref="Invalidate"/>
    /// after a rollback).
    /// </summary>
    public bool DeferSchemaWrites { get; set; }

    /// <summary>Writes the schema kept in memory since the last flush, if any.</summary>
    public void FlushSchema()
    {
        if (_schemaUnwritten)
        {
            WriteSchema(_schema!);
            _schemaUnwritten = false;
        }
    }

    private void WriteSchema(StreamSchema schema)
    {
        var command = _sql.Get("INSERT INTO cv_schema (stream, body) VALUES ($s, $b) ON CONFLICT (stream) DO UPDATE SET body = excluded.body", "$s", "$b");
        command.Parameters[0].Value = _stream;
        command.Parameters[1].Value = SchemaJson.Serialize(schema);
        command.ExecuteNonQuery();
        _schema = schema;
    }

    /// <inheritdoc />
    public RecordData? GetRecord(RecordKey key) =>
        Bind(Raw(ref _getRecord, "SELECT data FROM cv_records WHERE stream = ?1 AND collection = ?2 AND id = ?3"), key).ScalarBlob(RecordJson.Deserialize);

    /// <inheritdoc />
    public void SetRecord(RecordKey key, RecordData? record)
    {
        if (record is null)
        {
            var delete = _sql.Get("DELETE FROM cv_records WHERE stream = $s AND collection = $c AND id = $i", "$s", "$c", "$i");
            Bind(delete, key);
            delete.ExecuteNonQuery();
            return;
        }

        (record, var sets) = RecordSets.Split(record);
        foreach (var (field, elements) in sets)
        {
            ReplaceElements(key, field, elements);
        }

        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        RecordJson.Write(_writer, record);
        _writer.Flush();
        Upsert(key, _buffer.WrittenSpan);
        if (_buffer.Capacity > 64 * 1024)
        {
            // One huge record should not keep its buffer for the life of the connection.
            _buffer = new ArrayBufferWriter<byte>(512);
        }
    }

    /// <inheritdoc />
    public void SetStoredRecord(RecordKey key, ReadOnlySpan<byte> stored) => Upsert(key, stored);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, SetElement> GetElements(RecordKey key, string field, IReadOnlyCollection<string> elementKeys)
    {
        ArgumentNullException.ThrowIfNull(elementKeys);
        var found = new Dictionary<string, SetElement>(elementKeys.Count, StringComparer.Ordinal);
        var get = Raw(ref _getElement, "SELECT data FROM cv_elements WHERE stream = ?1 AND collection = ?2 AND id = ?3 AND field = ?4 AND key = ?5");
        foreach (var elementKey in elementKeys)
        {
            if (Bind(get, key).Bind(4, field).Bind(5, elementKey).ScalarBlob(RecordJson.DeserializeElement) is { } element)
            {
                found[elementKey] = element;
            }
        }

        return found;
    }

    /// <inheritdoc />
    public void SetElement(RecordKey key, string field, string elementKey, SetElement? element)
    {
        if (element is null)
        {
            Bind(Raw(ref _deleteElement, "DELETE FROM cv_elements WHERE stream = ?1 AND collection = ?2 AND id = ?3 AND field = ?4 AND key = ?5"), key).Bind(4, field).Bind(5, elementKey).Run();
            return;
        }

        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        RecordJson.WriteElement(_writer, element);
        _writer.Flush();
        Bind(Raw(ref _upsertElement, "INSERT INTO cv_elements (stream, collection, id, field, key, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (stream, collection, id, field, key) DO UPDATE SET data = excluded.data"), key)
            .Bind(4, field).Bind(5, elementKey).BindBlob(6, _buffer.WrittenSpan).Run();
    }

    /// <inheritdoc />
    public IEnumerable<KeyValuePair<string, SetElement>> ReadElements(RecordKey key, string field)
    {
        var command = _sql.Get("SELECT key, data FROM cv_elements WHERE stream = $s AND collection = $c AND id = $i AND field = $f", "$s", "$c", "$i", "$f");
        Bind(command, key);
        command.Parameters[3].Value = field;
        using var reader = command.ExecuteReader();
        var elements = new List<KeyValuePair<string, SetElement>>();
        while (reader.Read())
        {
            elements.Add(new(reader.GetString(0), RecordJson.DeserializeElement((byte[])reader[1])));
        }

        // Ordinal, as the sets' keys are compared everywhere else (SQLite's order is by UTF-8 bytes).
        elements.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return elements;
    }

    /// <inheritdoc />
    public Guid? GetAlias(RecordKey key)
    {
        // Aliases are rare (two devices created the same unique identity), and every applied action asks for one:
        // one EXISTS until the next Invalidate instead of a lookup per action.
        _anyAliases ??= Raw(ref _anyAlias, "SELECT EXISTS (SELECT 1 FROM cv_aliases WHERE stream = ?1)").Bind(1, _stream).ScalarLong() is > 0;
        if (_anyAliases == false)
        {
            return null;
        }

        var canonical = Bind(Raw(ref _getAlias, "SELECT canonical FROM cv_aliases WHERE stream = ?1 AND collection = ?2 AND id = ?3"), key).ScalarText();
        return canonical is null ? null : Guid.ParseExact(canonical, "D");
    }

    /// <inheritdoc />
    public void SetAlias(RecordKey key, Guid? canonical)
    {
        if (canonical is not { } target)
        {
            var delete = _sql.Get("DELETE FROM cv_aliases WHERE stream = $s AND collection = $c AND id = $i", "$s", "$c", "$i");
            Bind(delete, key);
            delete.ExecuteNonQuery();
            return;
        }

        _anyAliases = true;
        var upsert = _sql.Get("INSERT INTO cv_aliases (stream, collection, id, canonical) VALUES ($s, $c, $i, $v) ON CONFLICT (stream, collection, id) DO UPDATE SET canonical = excluded.canonical", "$s", "$c", "$i", "$v");
        Bind(upsert, key);
        upsert.Parameters[3].Value = target.ToString("D");
        upsert.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public Guid? GetUnique(UniqueKey key)
    {
        var command = _sql.Get("SELECT record FROM cv_uniques WHERE stream = $s AND collection = $c AND field = $f AND value = $v", "$s", "$c", "$f", "$v");
        Bind(command, key);
        return command.ExecuteScalar() is string record ? Guid.ParseExact(record, "D") : null;
    }

    /// <inheritdoc />
    public void SetUnique(UniqueKey key, Guid? record)
    {
        if (record is not { } holder)
        {
            var delete = _sql.Get("DELETE FROM cv_uniques WHERE stream = $s AND collection = $c AND field = $f AND value = $v", "$s", "$c", "$f", "$v");
            Bind(delete, key);
            delete.ExecuteNonQuery();
            return;
        }

        var upsert = _sql.Get("INSERT INTO cv_uniques (stream, collection, field, value, record) VALUES ($s, $c, $f, $v, $r) ON CONFLICT (stream, collection, field, value) DO UPDATE SET record = excluded.record", "$s", "$c", "$f", "$v", "$r");
        Bind(upsert, key);
        upsert.Parameters[4].Value = holder.ToString("D");
        upsert.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public IEnumerable<RecordData> ReadRecords() => ReadMaterialized(null);

    /// <summary>Every record of one collection (tombstones too), ordered by id text, with its sets materialized.</summary>
    public IEnumerable<RecordData> ReadRecords(string collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        return ReadMaterialized(collection);
    }

    /// <inheritdoc />
    public IEnumerable<KeyValuePair<RecordKey, Guid>> ReadAliases()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT collection, id, canonical FROM cv_aliases WHERE stream = $s ORDER BY collection, id";
        command.Parameters.AddWithValue("$s", _stream);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new(new RecordKey(reader.GetString(0), Guid.ParseExact(reader.GetString(1), "D")), Guid.ParseExact(reader.GetString(2), "D"));
        }
    }

    /// <summary>Removes every row of the stream: schema, records, aliases and unique entries.</summary>
    public void Clear()
    {
        foreach (var table in new[] { "cv_schema", "cv_records", "cv_elements", "cv_aliases", "cv_uniques" })
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"DELETE FROM {table} WHERE stream = $s";
            command.Parameters.AddWithValue("$s", _stream);
            command.ExecuteNonQuery();
        }

        Invalidate();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _getRecord?.Dispose();
        _upsertRecord?.Dispose();
        _getAlias?.Dispose();
        _anyAlias?.Dispose();
        _getElement?.Dispose();
        _upsertElement?.Dispose();
        _deleteElement?.Dispose();
        _writer.Dispose();
        _sql.Dispose();
    }

    /// <summary>
    /// The records in (collection, id) order, each set filled from a second cursor over the elements in the same order:
    /// one pass over each table, not a query per set. Elements of records that hold no such set (tombstones) are skipped.
    /// </summary>
    private IEnumerable<RecordData> ReadMaterialized(string? collection)
    {
        var filter = collection is null ? "" : " AND collection = $c";
        using var records = _connection.CreateCommand();
        records.CommandText = $"SELECT data FROM cv_records WHERE stream = $s{filter} ORDER BY collection, id";
        using var elements = _connection.CreateCommand();
        elements.CommandText = $"SELECT collection, id, field, key, data FROM cv_elements WHERE stream = $s{filter} ORDER BY collection, id, field, key";
        foreach (var command in new[] { records, elements })
        {
            command.Parameters.AddWithValue("$s", _stream);
            if (collection is not null)
            {
                command.Parameters.AddWithValue("$c", collection);
            }
        }

        using var recordReader = records.ExecuteReader();
        SqliteDataReader? elementReader = null;
        var more = false;
        try
        {
            while (recordReader.Read())
            {
                var record = RecordJson.Deserialize((byte[])recordReader[0]);
                if (!record.Fields.Values.Any(f => f is SetState))
                {
                    yield return record;
                    continue;
                }

                if (elementReader is null)
                {
                    elementReader = elements.ExecuteReader();
                    more = elementReader.Read();
                }

                var id = record.Key.Id.ToString("D");
                var sets = new Dictionary<string, ImmutableSortedDictionary<string, SetElement>.Builder>(StringComparer.Ordinal);
                while (more && Compare(elementReader, record.Key.Collection, id) < 0)
                {
                    more = elementReader.Read();
                }

                while (more && Compare(elementReader, record.Key.Collection, id) == 0)
                {
                    var field = elementReader.GetString(2);
                    if (!sets.TryGetValue(field, out var set))
                    {
                        set = ImmutableSortedDictionary.CreateBuilder<string, SetElement>(StringComparer.Ordinal);
                        sets[field] = set;
                    }

                    set[elementReader.GetString(3)] = RecordJson.DeserializeElement((byte[])elementReader[4]);
                    more = elementReader.Read();
                }

                var fields = record.Fields.ToBuilder();
                foreach (var (name, state) in record.Fields)
                {
                    if (state is SetState header)
                    {
                        fields[name] = header with { Elements = sets.TryGetValue(name, out var found) ? found.ToImmutable() : ImmutableSortedDictionary.Create<string, SetElement>(StringComparer.Ordinal) };
                    }
                }

                yield return record with { Fields = fields.ToImmutable() };
            }
        }
        finally
        {
            elementReader?.Dispose();
        }
    }

    private static int Compare(SqliteDataReader elements, string collection, string id)
    {
        var byCollection = string.CompareOrdinal(elements.GetString(0), collection);
        return byCollection != 0 ? byCollection : string.CompareOrdinal(elements.GetString(1), id);
    }

    private void ReplaceElements(RecordKey key, string field, ImmutableSortedDictionary<string, SetElement> elements)
    {
        var delete = _sql.Get("DELETE FROM cv_elements WHERE stream = $s AND collection = $c AND id = $i AND field = $f", "$s", "$c", "$i", "$f");
        Bind(delete, key);
        delete.Parameters[3].Value = field;
        delete.ExecuteNonQuery();
        foreach (var (elementKey, element) in elements)
        {
            SetElement(key, field, elementKey, element);
        }
    }

    private void Upsert(RecordKey key, ReadOnlySpan<byte> data) =>
        Bind(Raw(ref _upsertRecord, "INSERT INTO cv_records (stream, collection, id, data) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (stream, collection, id) DO UPDATE SET data = excluded.data"), key)
            .BindBlob(4, data)
            .Run();

    private RawStatement Raw(ref RawStatement? statement, string sql) => statement ??= new RawStatement(_connection, sql);

    private RawStatement Bind(RawStatement statement, RecordKey key) => statement.Bind(1, _stream).Bind(2, key.Collection).Bind(3, key.Id);

    private void Bind(SqliteCommand command, RecordKey key)
    {
        command.Parameters[0].Value = _stream;
        command.Parameters[1].Value = key.Collection;
        command.Parameters[2].Value = key.Id.ToString("D");
    }

    private void Bind(SqliteCommand command, UniqueKey key)
    {
        command.Parameters[0].Value = _stream;
        command.Parameters[1].Value = key.Collection;
        command.Parameters[2].Value = key.Field;
        command.Parameters[3].Value = key.Value;
    }
}
