using System.Collections.Immutable;
using System.Text.Json;
using Converge.Core.Actions;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Schema;
using Converge.Core.Serialization;
using Converge.Core.State;
using Npgsql;

namespace Converge.Server.Postgres;

/// <summary>
/// The set elements one write session read and wrote, kept by set: what it knows of each element (null: known
/// absent), which it changed, and which sets it replaced whole. Everything about one set is found without looking at
/// the others, so replacing or reading a set costs what that set holds, whatever else the session touched.
/// </summary>
/// <remarks>Part of <see cref="PostgresRecordState"/>: one per write session, under the stream's row lock.</remarks>
internal sealed class PostgresSetElements
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly string _stream;
    private readonly Dictionary<(RecordKey Key, string Field), CachedSet> _sets = [];

    public PostgresSetElements(NpgsqlConnection connection, NpgsqlTransaction transaction, string stream)
    {
        _connection = connection;
        _transaction = transaction;
        _stream = stream;
    }

    /// <summary>How many times elements were read from the database one set at a time (not prefetched), for tests.</summary>
    public int Queries { get; private set; }

    /// <summary>The stored elements of a set among <paramref name="elementKeys"/>; the ones not known yet are read in one query.</summary>
    public IReadOnlyDictionary<string, SetElement> Get(RecordKey key, string field, IReadOnlyCollection<string> elementKeys)
    {
        var set = SetOf(key, field);
        var missing = elementKeys.Where(k => !set.Elements.ContainsKey(k)).Distinct(StringComparer.Ordinal).ToArray();
        if (missing.Length > 0)
        {
            foreach (var elementKey in missing)
            {
                set.Elements[elementKey] = null;
            }

            if (!set.Replaced)
            {
                Queries++;
                using var command = Command("SELECT key, data FROM cv_elements WHERE stream = $1 AND collection = $2 AND id = $3 AND field = $4 AND key_hash = ANY($5)", _stream, key.Collection, key.Id, field, KeyHash.Of(missing));
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    set.Elements[reader.GetString(0)] = RecordJson.DeserializeElement((byte[])reader[1]);
                }
            }
        }

        var found = new Dictionary<string, SetElement>(StringComparer.Ordinal);
        foreach (var elementKey in elementKeys)
        {
            if (set.Elements[elementKey] is { } element)
            {
                found[elementKey] = element;
            }
        }

        return found;
    }

    /// <summary>Writes (or with null removes) one element at the flush.</summary>
    public void Set(RecordKey key, string field, string elementKey, SetElement? element)
    {
        var set = SetOf(key, field);
        set.Elements[elementKey] = element;
        set.Dirty.Add(elementKey);
    }

    /// <summary>Replaces every stored element of a set with exactly these, at the flush.</summary>
    public void Replace(RecordKey key, string field, ImmutableSortedDictionary<string, SetElement> elements)
    {
        var set = SetOf(key, field);
        set.Elements.Clear();
        set.Dirty.Clear();
        set.Replaced = true;
        foreach (var (elementKey, element) in elements)
        {
            set.Elements[elementKey] = element;
            set.Dirty.Add(elementKey);
        }
    }

    /// <summary>Every element of a set as the session leaves it, in ordinal key order.</summary>
    public IEnumerable<KeyValuePair<string, SetElement>> ReadAll(RecordKey key, string field)
    {
        var elements = new SortedDictionary<string, SetElement>(StringComparer.Ordinal);
        var set = _sets.GetValueOrDefault((key, field));
        if (set is not { Replaced: true })
        {
            Queries++;
            using var command = Command("SELECT key, data FROM cv_elements WHERE stream = $1 AND collection = $2 AND id = $3 AND field = $4", _stream, key.Collection, key.Id, field);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                elements[reader.GetString(0)] = RecordJson.DeserializeElement((byte[])reader[1]);
            }
        }

        foreach (var (elementKey, element) in set?.Elements ?? Enumerable.Empty<KeyValuePair<string, SetElement?>>())
        {
            if (element is null)
            {
                elements.Remove(elementKey);
            }
            else
            {
                elements[elementKey] = element;
            }
        }

        return elements;
    }

    /// <summary>
    /// Adds to a batch the read of the elements the batch's adds and removes name, through their records' aliases, when
    /// the schema gives their fields' types (an element's key depends on it); null when it gives none. A field the
    /// schema does not declare as a set, or a value not of its type, is left to the action's own read (it is refused anyway).
    /// </summary>
    public Plan? AddPrefetch(NpgsqlBatch batch, StreamSchema schema, IEnumerable<ConvergeAction> actions)
    {
        var wanted = new List<(string Collection, Guid Id, string Field, string Key)>();
        var seen = new HashSet<(string Collection, Guid Id, string Field, string Key)>();
        foreach (var action in actions.OfType<SetElementAction>())
        {
            if (schema.FindCollection(action.Collection)?.Fields.GetValueOrDefault(action.Field) is { IsSet: true } declared
                && KeyOf(declared.Type, action.Value) is { } elementKey
                && seen.Add((action.Collection, action.Record, action.Field, elementKey)))
            {
                wanted.Add((action.Collection, action.Record, action.Field, elementKey));
            }
        }

        if (wanted.Count == 0)
        {
            return null;
        }

        PostgresRecordState.Add(
            batch,
            // One row per element asked for, found or not, with the record's canonical id: one primary-key lookup each.
            """
            SELECT k.n, COALESCE(a.canonical, k.id), e.data
            FROM unnest($2::text[], $3::uuid[], $4::text[], $5::bytea[]) WITH ORDINALITY AS k(collection, id, field, key_hash, n)
            LEFT JOIN LATERAL (
                SELECT canonical FROM cv_aliases
                WHERE stream = $1 AND collection = k.collection AND id = k.id
                LIMIT 1) AS a ON TRUE
            LEFT JOIN LATERAL (
                SELECT data FROM cv_elements
                WHERE stream = $1 AND collection = k.collection AND id = COALESCE(a.canonical, k.id) AND field = k.field AND key_hash = k.key_hash
                LIMIT 1) AS e ON TRUE
            """,
            _stream, wanted.Select(w => w.Collection).ToArray(), wanted.Select(w => w.Id).ToArray(), wanted.Select(w => w.Field).ToArray(), KeyHash.Of(wanted.Select(w => w.Key)));
        return new Plan(wanted);
    }

    /// <summary>Reads the result of the read <see cref="AddPrefetch"/> added: each element asked for is known from here on, stored or absent.</summary>
    public async ValueTask ReadPrefetchAsync(NpgsqlDataReader reader, Plan plan, CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var (collection, _, field, elementKey) = plan.Wanted[(int)reader.GetInt64(0) - 1];
            var set = SetOf(new RecordKey(collection, reader.GetGuid(1)), field);
            if (!set.Replaced)
            {
                // What the session already knows of an element (its own write) stands.
                set.Elements.TryAdd(elementKey, reader.IsDBNull(2) ? null : RecordJson.DeserializeElement((byte[])reader[2]));
            }
        }
    }

    /// <summary>Adds the session's element writes to a batch: the replaced sets' deletes first, then one upsert and one delete.</summary>
    public void Flush(NpgsqlBatch batch)
    {
        var replaced = _sets.Where(s => s.Value.Replaced).Select(s => s.Key).ToList();
        if (replaced.Count > 0)
        {
            PostgresRecordState.Add(
                batch,
                "DELETE FROM cv_elements e USING unnest($2::text[], $3::uuid[], $4::text[]) AS k(collection, id, field) WHERE e.stream = $1 AND e.collection = k.collection AND e.id = k.id AND e.field = k.field",
                _stream, replaced.Select(s => s.Key.Collection).ToArray(), replaced.Select(s => s.Key.Id).ToArray(), replaced.Select(s => s.Field).ToArray());
        }

        var dirty = _sets.SelectMany(s => s.Value.Dirty.Select(k => (Set: s.Key, Key: k, Element: s.Value.Elements[k]))).ToList();
        var written = dirty.Where(d => d.Element is not null).ToList();
        if (written.Count > 0)
        {
            PostgresRecordState.Add(
                batch,
                "INSERT INTO cv_elements (stream, collection, id, field, key_hash, key, data) SELECT $1, * FROM unnest($2::text[], $3::uuid[], $4::text[], $5::bytea[], $6::text[], $7::bytea[]) ON CONFLICT (stream, collection, id, field, key_hash) DO UPDATE SET data = excluded.data",
                _stream,
                written.Select(d => d.Set.Key.Collection).ToArray(),
                written.Select(d => d.Set.Key.Id).ToArray(),
                written.Select(d => d.Set.Field).ToArray(),
                KeyHash.Of(written.Select(d => d.Key)),
                written.Select(d => d.Key).ToArray(),
                written.Select(d => RecordJson.SerializeElement(d.Element!)).ToArray());
        }

        // A replaced set's removed elements went with the set's delete.
        var deleted = dirty.Where(d => d.Element is null && !_sets[d.Set].Replaced).ToList();
        if (deleted.Count > 0)
        {
            PostgresRecordState.Add(
                batch,
                "DELETE FROM cv_elements e USING unnest($2::text[], $3::uuid[], $4::text[], $5::bytea[]) AS k(collection, id, field, key_hash) WHERE e.stream = $1 AND e.collection = k.collection AND e.id = k.id AND e.field = k.field AND e.key_hash = k.key_hash",
                _stream,
                deleted.Select(d => d.Set.Key.Collection).ToArray(),
                deleted.Select(d => d.Set.Key.Id).ToArray(),
                deleted.Select(d => d.Set.Field).ToArray(),
                KeyHash.Of(deleted.Select(d => d.Key)));
        }
    }

    /// <summary>The key <see cref="ValueKeys.Of"/> gives a value of this type, or null when the value is not of the kind the type reads (it would throw).</summary>
    private static string? KeyOf(FieldType type, JsonElement value) => (type, value.ValueKind) switch
    {
        (_, JsonValueKind.Undefined or JsonValueKind.Null) => null,
        (FieldType.Long or FieldType.Double or FieldType.Decimal, not JsonValueKind.Number) => null,
        (FieldType.Uuid or FieldType.Ref or FieldType.Instant, not JsonValueKind.String) => null,
        _ => ValueKeys.Of(type, value),
    };

    private CachedSet SetOf(RecordKey key, string field)
    {
        if (!_sets.TryGetValue((key, field), out var set))
        {
            set = new CachedSet();
            _sets[(key, field)] = set;
        }

        return set;
    }

    private NpgsqlCommand Command(string sql, params object[] values) => PostgresRecordState.Command(_connection, _transaction, sql, values);

    /// <summary>What <see cref="AddPrefetch"/> asked for: the elements, by record id as the actions name it, field and key, in the order of the read's rows.</summary>
    internal sealed record Plan(List<(string Collection, Guid Id, string Field, string Key)> Wanted);

    /// <summary>What the session knows of one set.</summary>
    private sealed class CachedSet
    {
        /// <summary>The elements known, by key: the stored or written one, or null when known absent.</summary>
        public Dictionary<string, SetElement?> Elements { get; } = new(StringComparer.Ordinal);

        /// <summary>The keys the session wrote.</summary>
        public HashSet<string> Dirty { get; } = new(StringComparer.Ordinal);

        /// <summary>True when the session replaced the set whole: its stored elements go at the flush, and keys not known are absent.</summary>
        public bool Replaced { get; set; }
    }
}
