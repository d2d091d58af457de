using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Schema;
using Converge.Core.Serialization;
using Converge.Core.State;
using Microsoft.Data.Sqlite;

namespace Converge.Sqlite;

/// <summary>
/// The merge engine's state of one stream in a SQLite file: each record as a compact metadata blob in
/// <c>cv_records.meta</c> (<see cref="RecordMeta"/>) beside its row in its collection's table (<see cref="CollectionTables"/>)
/// when it is live, set elements in <c>cv_elements</c> with binary stamps, and the schema, aliases and unique entries.
/// Commands are prepared once per instance (the per-action ones on the native handle, bound by position); transactions
/// are the caller's (plain <c>BEGIN IMMEDIATE</c>/<c>COMMIT</c>).
/// </summary>
/// <remarks>
/// Not thread-safe: one instance per connection. The schema, the tables, and whether the stream has any alias at all,
/// are cached until <see cref="Invalidate"/>: call it after a rollback, or when another connection may have written.
/// </remarks>
internal sealed class SqliteRecordState : IStoredRecordState, IExportableState, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly string _stream;
    private readonly SqliteStatements _sql;
    private readonly RecordCodec _codec = new();
    private readonly ArrayBufferWriter<byte> _meta = new(256);
    private readonly Dictionary<string, TableRows?> _tables = new(StringComparer.Ordinal);
    private RawStatement? _getRecord;
    private RawStatement? _upsertRecord;
    private RawStatement? _deleteRecord;
    private RawStatement? _getAlias;
    private RawStatement? _anyAlias;
    private RawStatement? _getElement;
    private RawStatement? _upsertElement;
    private RawStatement? _deleteElement;
    private RawStatement? _readElements;
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
    }

    /// <summary>Forgets the cached schema and tables, so the next read sees what another connection wrote.</summary>
    public void Invalidate()
    {
        _schema = null;
        _schemaUnwritten = false;
        _anyAliases = null;
        ForgetTables();
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
    /// <remarks>The collection tables are created or altered at once, in the caller's transaction, even when the schema's own write is deferred.</remarks>
    public void SetSchema(StreamSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var moved = CollectionTables.Ensure(_connection, _stream, schema);
        ForgetTables();
        _schema = schema;
        foreach (var (collection, fields) in moved)
        {
            MoveOutOfExtra(collection, fields);
        }

        if (DeferSchemaWrites)
        {
            _schemaUnwritten = true;
            return;
        }

        WriteSchema(schema);
    }

    /// <summary>Creates the tables the stored schema declares that are missing (after an upgrade).</summary>
    public void EnsureTables()
    {
        CollectionTables.Ensure(_connection, _stream, GetSchema());
        ForgetTables();
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
    public RecordData? GetRecord(RecordKey key)
    {
        var meta = Bind(Raw(ref _getRecord, "SELECT meta FROM cv_records WHERE stream = ?1 AND collection = ?2 AND id = ?3"), key).ScalarBlob(RecordMeta.Read);
        if (meta is null)
        {
            return null;
        }

        var rows = Rows(key.Collection);
        return _codec.Decode(key, meta, rows, meta.NeedsRow ? rows?.Select(key.Id) : null);
    }

    /// <inheritdoc />
    public void SetRecord(RecordKey key, RecordData? record)
    {
        var rows = Rows(key.Collection);
        if (record is null)
        {
            Bind(Raw(ref _deleteRecord, "DELETE FROM cv_records WHERE stream = ?1 AND collection = ?2 AND id = ?3"), key).Run();
            rows?.Delete(key.Id);
            return;
        }

        (record, var sets) = RecordSets.Split(record);
        foreach (var (field, elements) in sets)
        {
            ReplaceElements(key, field, elements);
        }

        var row = _codec.Encode(record, rows, (field, header) => SetArray(key, field, header, sets), _meta);
        Bind(Raw(ref _upsertRecord, "INSERT INTO cv_records (stream, collection, id, meta) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (stream, collection, id) DO UPDATE SET meta = excluded.meta"), key)
            .BindBlob(4, _meta.WrittenSpan)
            .Run();
        if (row is not null)
        {
            rows!.Upsert(key.Id, row);
        }
        else
        {
            rows?.Delete(key.Id);
        }
    }

    /// <inheritdoc />
    public void SetStoredRecord(RecordKey key, ReadOnlySpan<byte> stored) => SetRecord(key, RecordJson.Deserialize(stored));

    /// <inheritdoc />
    public IReadOnlyDictionary<string, SetElement> GetElements(RecordKey key, string field, IReadOnlyCollection<string> elementKeys)
    {
        ArgumentNullException.ThrowIfNull(elementKeys);
        var found = new Dictionary<string, SetElement>(elementKeys.Count, StringComparer.Ordinal);
        var get = Raw(ref _getElement, "SELECT value, added, removed FROM cv_elements WHERE stream = ?1 AND collection = ?2 AND id = ?3 AND field = ?4 AND key = ?5");
        foreach (var elementKey in elementKeys)
        {
            if (Bind(get, key).Bind(4, field).Bind(5, elementKey).Row(r => ReadElement(elementKey, r.GetTextOrNull(0), r.GetBlob(1), r.GetBlob(2))) is { } element)
            {
                found[elementKey] = element;
            }
        }

        return found;
    }

    /// <inheritdoc />
    public void SetElement(RecordKey key, string field, string elementKey, SetElement? element)
    {
        WriteElement(key, field, elementKey, element);
        RefreshSet(key, field);
    }

    /// <inheritdoc />
    public IEnumerable<KeyValuePair<string, SetElement>> ReadElements(RecordKey key, string field)
    {
        var elements = Bind(Raw(ref _readElements, "SELECT key, value, added, removed FROM cv_elements WHERE stream = ?1 AND collection = ?2 AND id = ?3 AND field = ?4"), key)
            .Bind(4, field)
            .Rows(r =>
            {
                var elementKey = r.GetText(0);
                return new KeyValuePair<string, SetElement>(elementKey, ReadElement(elementKey, r.GetTextOrNull(1), r.GetBlob(2), r.GetBlob(3)));
            });

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

    /// <summary>Removes every row of the stream: schema, records, aliases and unique entries, and drops its collection tables.</summary>
    public void Clear()
    {
        foreach (var table in new[] { "cv_schema", "cv_records", "cv_elements", "cv_aliases", "cv_uniques" })
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"DELETE FROM {table} WHERE stream = $s";
            command.Parameters.AddWithValue("$s", _stream);
            command.ExecuteNonQuery();
        }

        ForgetTables();
        CollectionTables.DropAll(_connection, _stream);
        Invalidate();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ForgetTables();
        foreach (var statement in new[] { _getRecord, _upsertRecord, _deleteRecord, _getAlias, _anyAlias, _getElement, _upsertElement, _deleteElement, _readElements })
        {
            statement?.Dispose();
        }

        _codec.Dispose();
        _sql.Dispose();
    }

    /// <summary>The prepared statements of a collection's table; null when it has none (not declared).</summary>
    private TableRows? Rows(string collection)
    {
        if (_tables.TryGetValue(collection, out var rows))
        {
            return rows;
        }

        rows = GetSchema().FindCollection(collection) is { } declared && CollectionTables.TableName(_connection, _stream, collection) is { } name
            ? new TableRows(_connection, CollectionTables.Describe(_stream, collection, name, declared))
            : null;
        _tables[collection] = rows;
        return rows;
    }

    private void ForgetTables()
    {
        foreach (var rows in _tables.Values)
        {
            rows?.Dispose();
        }

        _tables.Clear();
    }

    /// <summary>Rewrites the rows whose values of newly declared fields sit in <c>"$extra"</c>, so they move to their columns.</summary>
    private void MoveOutOfExtra(string collection, List<string> fields)
    {
        var keys = new List<RecordKey>();
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT id, meta FROM cv_records WHERE stream = $s AND collection = $c";
            command.Parameters.AddWithValue("$s", _stream);
            command.Parameters.AddWithValue("$c", collection);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var meta = RecordMeta.Read((byte[])reader[1]);
                if (meta.Fields.Exists(f => f.Tag == MetaTag.RegisterInExtra && fields.Contains(f.Name)))
                {
                    keys.Add(new RecordKey(collection, Guid.ParseExact(reader.GetString(0), "D")));
                }
            }
        }

        foreach (var key in keys)
        {
            SetRecord(key, GetRecord(key));
        }
    }

    /// <summary>A set field's column text: the canonical JSON array of its present elements' values, in key order.</summary>
    private string SetArray(RecordKey key, string field, SetState header, IReadOnlyList<KeyValuePair<string, ImmutableSortedDictionary<string, SetElement>>> given)
    {
        IEnumerable<KeyValuePair<string, SetElement>>? elements = null;
        foreach (var (name, set) in given)
        {
            if (name == field)
            {
                elements = set;
            }
        }

        elements ??= ReadElements(key, field);
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
        {
            writer.WriteStartArray();
            foreach (var (_, element) in elements)
            {
                if (header.Contains(element))
                {
                    CanonicalJson.Write(writer, element.Value);
                }
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>After an element changed, the set's column follows (the record's header may not be written again).</summary>
    private void RefreshSet(RecordKey key, string field)
    {
        if (Rows(key.Collection) is not { } rows || !rows.Index.TryGetValue(field, out var at) || rows.Fields[at - 1].Kind != ColumnKind.Set)
        {
            return;
        }

        var meta = Bind(Raw(ref _getRecord, "SELECT meta FROM cv_records WHERE stream = ?1 AND collection = ?2 AND id = ?3"), key).ScalarBlob(RecordMeta.Read);
        if (meta is null || meta.Deleted.IsValid || meta.Fields.Find(f => f.Name == field) is not { Tag: MetaTag.SetHeader } header)
        {
            return;
        }

        rows.UpdateSet(key.Id, field, SetArray(key, field, new SetState(header.Stamp, header.Count), []));
    }

    private void WriteElement(RecordKey key, string field, string elementKey, SetElement? element)
    {
        if (element is null)
        {
            Bind(Raw(ref _deleteElement, "DELETE FROM cv_elements WHERE stream = ?1 AND collection = ?2 AND id = ?3 AND field = ?4 AND key = ?5"), key).Bind(4, field).Bind(5, elementKey).Run();
            return;
        }

        // The value is kept only when its key is not its canonical text (most keys are).
        var canonical = _codec.Canonical(element.Value);
        var value = SameText(canonical, elementKey) ? null : Encoding.UTF8.GetString(canonical);
        var upsert = Bind(Raw(ref _upsertElement, "INSERT INTO cv_elements (stream, collection, id, field, key, value, added, removed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (stream, collection, id, field, key) DO UPDATE SET value = excluded.value, added = excluded.added, removed = excluded.removed"), key)
            .Bind(4, field).Bind(5, elementKey).Bind(6, value);
        BindStamp(upsert, 7, StampBlob.Of(element.Added));
        BindStamp(upsert, 8, StampBlob.Of(element.Removed));
        upsert.Run();
    }

    private static void BindStamp(RawStatement statement, int index, byte[]? stamp)
    {
        if (stamp is null)
        {
            statement.BindValue(index, null);
        }
        else
        {
            statement.BindBlob(index, stamp);
        }
    }

    private static bool SameText(ReadOnlySpan<byte> utf8, string text)
    {
        Span<byte> buffer = stackalloc byte[256];
        var length = Encoding.UTF8.GetMaxByteCount(text.Length) <= buffer.Length ? Encoding.UTF8.GetBytes(text, buffer) : -1;
        return length >= 0 ? utf8.SequenceEqual(buffer[..length]) : utf8.SequenceEqual(Encoding.UTF8.GetBytes(text));
    }

    private static SetElement ReadElement(string key, string? value, ReadOnlySpan<byte> added, ReadOnlySpan<byte> removed)
    {
        using var document = JsonDocument.Parse(value ?? key);
        return new SetElement(document.RootElement.Clone(), StampBlob.Read(added), StampBlob.Read(removed));
    }

    /// <summary>
    /// The records in (collection, id) order, each joined with its row, and each set filled from a second cursor over
    /// the elements in the same order: one pass over each table, not a query per record or set.
    /// </summary>
    private IEnumerable<RecordData> ReadMaterialized(string? only)
    {
        var collections = new List<string>();
        if (only is not null)
        {
            collections.Add(only);
        }
        else
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT DISTINCT collection FROM cv_records WHERE stream = $s ORDER BY collection";
            command.Parameters.AddWithValue("$s", _stream);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                collections.Add(reader.GetString(0));
            }
        }

        foreach (var collection in collections)
        {
            foreach (var record in ReadCollection(collection))
            {
                yield return record;
            }
        }
    }

    private IEnumerable<RecordData> ReadCollection(string collection)
    {
        var rows = Rows(collection);
        using var records = _connection.CreateCommand();
        records.CommandText = rows is null
            ? "SELECT r.id, r.meta, NULL FROM cv_records r WHERE r.stream = $s AND r.collection = $c ORDER BY r.id"
            : $"SELECT r.id, r.meta, t.id, {string.Join(", ", rows.ColumnList.Split(", ").Select(c => "t." + c))} FROM cv_records r LEFT JOIN {rows.Table.Name} t ON t.id = r.id WHERE r.stream = $s AND r.collection = $c ORDER BY r.id";
        using var elements = _connection.CreateCommand();
        elements.CommandText = "SELECT id, field, key, value, added, removed FROM cv_elements WHERE stream = $s AND collection = $c ORDER BY id, field, key";
        foreach (var command in new[] { records, elements })
        {
            command.Parameters.AddWithValue("$s", _stream);
            command.Parameters.AddWithValue("$c", collection);
        }

        using var recordReader = records.ExecuteReader();
        SqliteDataReader? elementReader = null;
        var more = false;
        try
        {
            while (recordReader.Read())
            {
                var id = recordReader.GetString(0);
                var meta = RecordMeta.Read((byte[])recordReader[1]);
                object?[]? row = null;
                if (rows is not null && !recordReader.IsDBNull(2))
                {
                    row = new object?[rows.Width];
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = recordReader.IsDBNull(i + 3) ? null : recordReader.GetValue(i + 3);
                    }
                }

                var record = _codec.Decode(new RecordKey(collection, Guid.ParseExact(id, "D")), meta, rows, row);
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

                var sets = new Dictionary<string, ImmutableSortedDictionary<string, SetElement>.Builder>(StringComparer.Ordinal);
                while (more && string.CompareOrdinal(elementReader.GetString(0), id) < 0)
                {
                    more = elementReader.Read();
                }

                while (more && string.Equals(elementReader.GetString(0), id, StringComparison.Ordinal))
                {
                    var field = elementReader.GetString(1);
                    if (!sets.TryGetValue(field, out var set))
                    {
                        set = ImmutableSortedDictionary.CreateBuilder<string, SetElement>(StringComparer.Ordinal);
                        sets[field] = set;
                    }

                    var elementKey = elementReader.GetString(2);
                    set[elementKey] = ReadElement(
                        elementKey,
                        elementReader.IsDBNull(3) ? null : elementReader.GetString(3),
                        elementReader.IsDBNull(4) ? [] : (byte[])elementReader[4],
                        elementReader.IsDBNull(5) ? [] : (byte[])elementReader[5]);
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

    private void ReplaceElements(RecordKey key, string field, ImmutableSortedDictionary<string, SetElement> elements)
    {
        var delete = _sql.Get("DELETE FROM cv_elements WHERE stream = $s AND collection = $c AND id = $i AND field = $f", "$s", "$c", "$i", "$f");
        Bind(delete, key);
        delete.Parameters[3].Value = field;
        delete.ExecuteNonQuery();
        foreach (var (elementKey, element) in elements)
        {
            WriteElement(key, field, elementKey, element);
        }
    }

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
