using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Schema;
using Converge.Core.Serialization;
using Converge.Core.State;
using Microsoft.Data.Sqlite;

namespace Converge.Sqlite;

/// <summary>
/// The merge engine's state of one stream in the <c>cv_*</c> tables of a SQLite connection. Commands are
/// prepared once per instance; transactions are the caller's (plain <c>BEGIN IMMEDIATE</c>/<c>COMMIT</c>).
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
    public RecordData? GetRecord(RecordKey key)
    {
        var command = _sql.Get("SELECT data FROM cv_records WHERE stream = $s AND collection = $c AND id = $i", "$s", "$c", "$i");
        Bind(command, key);
        return command.ExecuteScalar() is byte[] data ? RecordJson.Deserialize(data) : null;
    }

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

        Upsert(key, RecordJson.Serialize(record));
    }

    /// <inheritdoc />
    public void SetRecord(RecordKey key, RecordData record, ReadOnlySpan<byte> stored)
    {
        ArgumentNullException.ThrowIfNull(record);
        Upsert(key, stored.ToArray());
    }

    /// <inheritdoc />
    public Guid? GetAlias(RecordKey key)
    {
        // Aliases are rare (two devices created the same unique identity), and every applied action asks for one:
        // one EXISTS per transaction instead of a lookup per action.
        if (_anyAliases is null)
        {
            var exists = _sql.Get("SELECT EXISTS (SELECT 1 FROM cv_aliases WHERE stream = $s)", "$s");
            exists.Parameters[0].Value = _stream;
            _anyAliases = exists.ExecuteScalar() is long found && found != 0;
        }

        if (_anyAliases == false)
        {
            return null;
        }

        var command = _sql.Get("SELECT canonical FROM cv_aliases WHERE stream = $s AND collection = $c AND id = $i", "$s", "$c", "$i");
        Bind(command, key);
        return command.ExecuteScalar() is string canonical ? Guid.ParseExact(canonical, "D") : null;
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
    public void Dispose() => _sql.Dispose();

    private void Upsert(RecordKey key, byte[] data)
    {
        var upsert = _sql.Get("INSERT INTO cv_records (stream, collection, id, data) VALUES ($s, $c, $i, $d) ON CONFLICT (stream, collection, id) DO UPDATE SET data = excluded.data", "$s", "$c", "$i", "$d");
        Bind(upsert, key);
        upsert.Parameters[3].Value = data;
        upsert.ExecuteNonQuery();
    }

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
