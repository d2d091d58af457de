using System.Security.Cryptography;
using Converge.Core.Actions;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Schema;
using Converge.Core.Serialization;
using Converge.Core.State;
using Npgsql;
using NpgsqlTypes;

namespace Converge.Server.Postgres;

/// <summary>
/// The merge engine's state of one stream inside one PostgreSQL transaction, with a write-back cache: reads are
/// loaded once (in bulk by <see cref="AddPrefetch"/> and <see cref="ReadPrefetchAsync"/>), writes are kept in memory and sent in one batch by <see cref="Flush"/>.
/// </summary>
/// <remarks>Not thread-safe: one instance per write session, which holds the stream's row lock, so the cache cannot go stale.</remarks>
internal sealed class PostgresRecordState : IRecordState
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly string _stream;
    private readonly Dictionary<RecordKey, RecordData?> _records = [];
    private readonly Dictionary<RecordKey, Guid?> _aliases = [];
    private readonly Dictionary<UniqueKey, Guid?> _uniques = [];
    private readonly HashSet<RecordKey> _dirtyRecords = [];
    private readonly HashSet<RecordKey> _dirtyAliases = [];
    private readonly HashSet<UniqueKey> _dirtyUniques = [];
    private readonly PostgresSetElements _elements;
    private StreamSchema? _schema;
    private bool _dirtySchema;

    /// <param name="connection">The session's connection.</param>
    /// <param name="transaction">The session's transaction.</param>
    /// <param name="stream">The stream.</param>
    /// <param name="schema">The stream's schema when the caller already holds the one the transaction sees; null to read it.</param>
    public PostgresRecordState(NpgsqlConnection connection, NpgsqlTransaction transaction, string stream, StreamSchema? schema = null)
    {
        _connection = connection;
        _transaction = transaction;
        _stream = stream;
        _schema = schema;
        _elements = new PostgresSetElements(connection, transaction, stream);
    }

    /// <summary>True when the session changed the schema (its hash changes at the commit).</summary>
    public bool SchemaChanged => _dirtySchema;

    /// <summary>The SHA-256 of the schema body <see cref="Flush"/> wrote, or null when it wrote none.</summary>
    public byte[]? WrittenSchemaHash { get; private set; }

    /// <summary>The schema as the session leaves it, when it was read or written (null when nothing needed it).</summary>
    public StreamSchema? LoadedSchema => _schema;

    /// <summary>How many times a set's elements were read one set at a time (not prefetched): what prefetching saves, for tests.</summary>
    internal int ElementQueries => _elements.Queries;

    public StreamSchema GetSchema()
    {
        if (_schema is null)
        {
            _schema = Scalar("SELECT body FROM cv_schema WHERE stream = $1", _stream) is byte[] body ? SchemaJson.Deserialize(body) : StreamSchema.Empty;
        }

        return _schema;
    }

    public void SetSchema(StreamSchema schema)
    {
        _schema = schema;
        _dirtySchema = true;
    }

    public RecordData? GetRecord(RecordKey key) =>
        Cached(_records, key, k => Scalar("SELECT data FROM cv_records WHERE stream = $1 AND collection = $2 AND id = $3", _stream, k.Collection, k.Id) is byte[] data ? RecordJson.Deserialize(data) : null);

    public void SetRecord(RecordKey key, RecordData? record)
    {
        if (record is not null)
        {
            (record, var sets) = RecordSets.Split(record);
            foreach (var (field, elements) in sets)
            {
                _elements.Replace(key, field, elements);
            }
        }

        Written(_records, _dirtyRecords, key, record);
    }

    public IReadOnlyDictionary<string, SetElement> GetElements(RecordKey key, string field, IReadOnlyCollection<string> elementKeys)
    {
        ArgumentNullException.ThrowIfNull(elementKeys);
        return _elements.Get(key, field, elementKeys);
    }

    public void SetElement(RecordKey key, string field, string elementKey, SetElement? element) => _elements.Set(key, field, elementKey, element);

    public IEnumerable<KeyValuePair<string, SetElement>> ReadElements(RecordKey key, string field) => _elements.ReadAll(key, field);

    public Guid? GetAlias(RecordKey key) =>
        Cached(_aliases, key, k => Scalar("SELECT canonical FROM cv_aliases WHERE stream = $1 AND collection = $2 AND id = $3", _stream, k.Collection, k.Id) as Guid?);

    public void SetAlias(RecordKey key, Guid? canonical) => Written(_aliases, _dirtyAliases, key, canonical);

    public Guid? GetUnique(UniqueKey key) =>
        Cached(_uniques, key, k => Scalar("SELECT record FROM cv_uniques WHERE stream = $1 AND collection = $2 AND field = $3 AND value_hash = $4", _stream, k.Collection, k.Field, KeyHash.Of(k.Value)) as Guid?);

    public void SetUnique(UniqueKey key, Guid? record) => Written(_uniques, _dirtyUniques, key, record);

    /// <summary>
    /// Adds to a batch the reads that load the schema (when not loaded yet), the aliases and records of the keys the
    /// actions name not cached yet (records through their aliases), and, when the schema is known already, the set
    /// elements the actions add or remove; <see cref="ReadPrefetchAsync"/> reads their results, in that order.
    /// </summary>
    public PrefetchPlan AddPrefetch(NpgsqlBatch batch, IReadOnlyList<ConvergeAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var schema = _schema is null;
        if (schema)
        {
            Add(batch, "SELECT body FROM cv_schema WHERE stream = $1", _stream);
        }

        var missing = actions.OfType<RecordAction>().Select(a => new RecordKey(a.Collection, a.Record)).Where(k => !_aliases.ContainsKey(k)).Distinct().ToList();
        if (missing.Count > 0)
        {
            var collections = missing.Select(k => k.Collection).ToArray();
            var ids = missing.Select(k => k.Id).ToArray();
            Add(
                batch,
                "SELECT k.collection, k.id, a.canonical FROM unnest($2::text[], $3::uuid[]) AS k(collection, id) CROSS JOIN LATERAL (SELECT canonical FROM cv_aliases WHERE stream = $1 AND collection = k.collection AND id = k.id LIMIT 1) AS a",
                _stream, collections, ids);
            Add(
                batch,
                // One primary-key lookup per key, whatever the planner's statistics say: as plain joins, a stream's
                // records read before autovacuum's first ANALYZE were hash-joined by a scan of the whole stream
                // (40-2,000 ms a push on a hot stream of 20,000 records). LIMIT keeps a lateral from being flattened.
                """
                SELECT r.data
                FROM unnest($2::text[], $3::uuid[]) AS k(collection, id)
                LEFT JOIN LATERAL (
                    SELECT canonical FROM cv_aliases
                    WHERE stream = $1 AND collection = k.collection AND id = k.id
                    LIMIT 1) AS a ON TRUE
                CROSS JOIN LATERAL (
                    SELECT data FROM cv_records
                    WHERE stream = $1 AND collection = k.collection AND id = COALESCE(a.canonical, k.id)
                    LIMIT 1) AS r
                """,
                _stream, collections, ids);
        }

        // An element's key depends on its field's type: without the schema, AddElementPrefetch asks once it is read.
        var elements = _schema is null ? null : _elements.AddPrefetch(batch, _schema, actions);
        return new PrefetchPlan(schema, missing, elements);
    }

    /// <summary>Adds to a batch the read of the set elements the actions add or remove, by the schema as the session has it.</summary>
    public PostgresSetElements.Plan? AddElementPrefetch(NpgsqlBatch batch, IReadOnlyList<ConvergeAction> actions) => _elements.AddPrefetch(batch, GetSchema(), actions);

    /// <summary>Reads the result of the read <see cref="AddElementPrefetch"/> added.</summary>
    public ValueTask ReadElementPrefetchAsync(NpgsqlDataReader reader, PostgresSetElements.Plan plan, CancellationToken cancellationToken) =>
        _elements.ReadPrefetchAsync(reader, plan, cancellationToken);

    /// <summary>Reads the results of the reads <see cref="AddPrefetch"/> added, the reader standing on the first of them.</summary>
    public async ValueTask ReadPrefetchAsync(NpgsqlDataReader reader, PrefetchPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(plan);
        var first = true;
        if (plan.Schema)
        {
            _schema = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? SchemaJson.Deserialize((byte[])reader[0]) : StreamSchema.Empty;
            first = false;
        }

        if (plan.Missing.Count > 0)
        {
            if (!first)
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            }

            await ReadRecordsAsync(reader, plan.Missing, cancellationToken).ConfigureAwait(false);
            first = false;
        }

        if (plan.Elements is { } elements)
        {
            if (!first)
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            }

            await _elements.ReadPrefetchAsync(reader, elements, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the aliases, then (next result) the records of the keys prefetched.</summary>
    private async ValueTask ReadRecordsAsync(NpgsqlDataReader reader, List<RecordKey> missing, CancellationToken cancellationToken)
    {
        foreach (var key in missing)
        {
            _aliases[key] = null;
        }

        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            _aliases[new RecordKey(reader.GetString(0), reader.GetGuid(1))] = reader.GetGuid(2);
        }

        var records = missing.Select(k => _aliases[k] is { } canonical ? k with { Id = canonical } : k).Where(k => !_records.ContainsKey(k)).ToHashSet();
        foreach (var key in records)
        {
            _records[key] = null;
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var record = RecordJson.Deserialize((byte[])reader[0]);
            if (records.Contains(record.Key))
            {
                _records[record.Key] = record;
            }
        }
    }

    /// <summary>Adds the writes of this session to a batch, in an order the primary keys accept.</summary>
    public void Flush(NpgsqlBatch batch)
    {
        if (_dirtySchema)
        {
            // The body and its hash together: nodes keep schemas by the hash (SchemaCache).
            var body = SchemaJson.Serialize(_schema!);
            WrittenSchemaHash = SHA256.HashData(body);
            Add(batch, "INSERT INTO cv_schema (stream, body) VALUES ($1, $2) ON CONFLICT (stream) DO UPDATE SET body = excluded.body", _stream, body);
            Add(batch, "UPDATE cv_streams SET schema_hash = $2 WHERE stream = $1", _stream, WrittenSchemaHash);
        }

        // One upsert and one delete for all the records the session changed (each key once: the set holds it once).
        var written = _dirtyRecords.Where(k => _records[k] is not null).ToList();
        if (written.Count > 0)
        {
            Add(
                batch,
                "INSERT INTO cv_records (stream, collection, id, data) SELECT $1, * FROM unnest($2::text[], $3::uuid[], $4::bytea[]) ON CONFLICT (stream, collection, id) DO UPDATE SET data = excluded.data",
                _stream, written.Select(k => k.Collection).ToArray(), written.Select(k => k.Id).ToArray(), written.Select(k => RecordJson.Serialize(_records[k]!)).ToArray());
        }

        var deleted = _dirtyRecords.Where(k => _records[k] is null).ToList();
        if (deleted.Count > 0)
        {
            Add(
                batch,
                "DELETE FROM cv_records r USING unnest($2::text[], $3::uuid[]) AS k(collection, id) WHERE r.stream = $1 AND r.collection = k.collection AND r.id = k.id",
                _stream, deleted.Select(k => k.Collection).ToArray(), deleted.Select(k => k.Id).ToArray());
        }

        _elements.Flush(batch);

        foreach (var key in _dirtyAliases)
        {
            if (_aliases[key] is { } canonical)
            {
                Add(batch, "INSERT INTO cv_aliases (stream, collection, id, canonical) VALUES ($1, $2, $3, $4) ON CONFLICT (stream, collection, id) DO UPDATE SET canonical = excluded.canonical", _stream, key.Collection, key.Id, canonical);
            }
            else
            {
                Add(batch, "DELETE FROM cv_aliases WHERE stream = $1 AND collection = $2 AND id = $3", _stream, key.Collection, key.Id);
            }
        }

        // Freed values first, so a value that moved from one record to another never meets itself.
        var freed = _dirtyUniques.Where(k => _uniques[k] is null).ToList();
        if (freed.Count > 0)
        {
            Add(
                batch,
                "DELETE FROM cv_uniques u USING unnest($2::text[], $3::text[], $4::bytea[]) AS k(collection, field, value_hash) WHERE u.stream = $1 AND u.collection = k.collection AND u.field = k.field AND u.value_hash = k.value_hash",
                _stream, freed.Select(k => k.Collection).ToArray(), freed.Select(k => k.Field).ToArray(), KeyHash.Of(freed.Select(k => k.Value)));
        }

        var held = _dirtyUniques.Where(k => _uniques[k] is not null).ToList();
        if (held.Count > 0)
        {
            Add(
                batch,
                "INSERT INTO cv_uniques (stream, collection, field, value_hash, value, record) SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bytea[], $5::text[], $6::uuid[]) ON CONFLICT (stream, collection, field, value_hash) DO UPDATE SET record = excluded.record",
                _stream, held.Select(k => k.Collection).ToArray(), held.Select(k => k.Field).ToArray(), KeyHash.Of(held.Select(k => k.Value)), held.Select(k => k.Value).ToArray(), held.Select(k => _uniques[k]!.Value).ToArray());
        }
    }

    internal static void Add(NpgsqlBatch batch, string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(Parameter(value));
        }

        batch.BatchCommands.Add(command);
    }

    internal static NpgsqlParameter Parameter(object value) => value switch
    {
        string[] texts => new NpgsqlParameter { Value = texts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
        Guid[] ids => new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid },
        long[] numbers => new NpgsqlParameter { Value = numbers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
        byte[][] blobs => new NpgsqlParameter { Value = blobs, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea },
        _ => new NpgsqlParameter { Value = value },
    };

    /// <summary>The cached value of a key, read once (by <paramref name="load"/>) when the cache does not know it yet.</summary>
    private static TValue Cached<TKey, TValue>(Dictionary<TKey, TValue> cache, TKey key, Func<TKey, TValue> load)
        where TKey : notnull
    {
        if (!cache.TryGetValue(key, out var value))
        {
            value = load(key);
            cache[key] = value;
        }

        return value;
    }

    /// <summary>A write kept in the cache, sent by <see cref="Flush"/>.</summary>
    private static void Written<TKey, TValue>(Dictionary<TKey, TValue> cache, HashSet<TKey> dirty, TKey key, TValue value)
        where TKey : notnull
    {
        cache[key] = value;
        dirty.Add(key);
    }

    private object? Scalar(string sql, params object[] values)
    {
        using var command = Command(sql, values);
        return command.ExecuteScalar();
    }

    private NpgsqlCommand Command(string sql, params object[] values) => Command(_connection, _transaction, sql, values);

    /// <summary>A command of the connection and transaction with positional parameters (<see cref="Parameter"/>).</summary>
    internal static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(Parameter(value));
        }

        return command;
    }

    /// <summary>What <see cref="AddPrefetch"/> asked for: the schema or not, the keys whose aliases and records it loads, and the set elements.</summary>
    internal sealed record PrefetchPlan(bool Schema, List<RecordKey> Missing, PostgresSetElements.Plan? Elements);
}
