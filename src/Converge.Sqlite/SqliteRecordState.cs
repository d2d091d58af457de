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
public sealed class SqliteRecordState : IStoredRecordState, IExportableState, IDisposable
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
    private StreamSchema? _schema;
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
    public IEnumerable<RecordData> ReadRecords()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT data FROM cv_records WHERE stream = $s ORDER BY collection, id";
        command.Parameters.AddWithValue("$s", _stream);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return RecordJson.Deserialize((byte[])reader[0]);
        }
    }

    /// <summary>Every record of one collection (tombstones too), ordered by id text.</summary>
    public IEnumerable<RecordData> ReadRecords(string collection)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT data FROM cv_records WHERE stream = $s AND collection = $c ORDER BY id";
        command.Parameters.AddWithValue("$s", _stream);
        command.Parameters.AddWithValue("$c", collection);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return RecordJson.Deserialize((byte[])reader[0]);
        }
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
        foreach (var table in new[] { "cv_schema", "cv_records", "cv_aliases", "cv_uniques" })
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
        _writer.Dispose();
        _sql.Dispose();
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
