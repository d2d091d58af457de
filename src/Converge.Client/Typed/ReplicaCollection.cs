using System.Collections.Immutable;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Converge.Core.Actions;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Schema;

namespace Converge.Client.Typed;

/// <summary>
/// A collection of a replica over a C# record type: the schema comes from the type; insert, update (only changed
/// fields are sent), delete, get, query, set and counter operations, and change notifications.
/// </summary>
/// <typeparam name="T">The record type: public properties, and a <c>Guid Id</c>.</typeparam>
/// <remarks>Thread-safe. The collection's schema is declared on the first write, once, and only if the replica lacks it.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A collection of the stream's schema, named as SPEC names it; not a .NET collection type.")]
public sealed class ReplicaCollection<T>
    where T : class
{
    private readonly Replica _replica;
    private readonly RecordShape _shape;
    private readonly JsonSerializerOptions _json;
    private int _schemaChecked;

    internal ReplicaCollection(Replica replica, string? name, JsonSerializerOptions json)
    {
        _replica = replica;
        _json = json;
        _shape = RecordShape.Of(typeof(T), name, json.PropertyNamingPolicy ?? JsonNamingPolicy.CamelCase);
    }

    /// <summary>The collection's name.</summary>
    public string Name => _shape.Collection;

    /// <summary>The schema derived from <typeparamref name="T"/>.</summary>
    public CollectionSchema Schema => _shape.Schema;

    /// <summary>Creates a record; an empty <c>Id</c> gets a new UUIDv7 (see <see cref="LocalWrite.Record"/>).</summary>
    public async Task<LocalWrite> InsertAsync(T item, OnConflict onConflict = OnConflict.Merge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var id = (Guid)_shape.Id.GetValue(item)!;
        var fields = new JsonObject();
        foreach (var (name, value) in Fields(item))
        {
            if (value.ValueKind != JsonValueKind.Null)
            {
                fields[name] = JsonNode.Parse(value.GetRawText());
            }
        }

        return await _replica.CreateAsync(Name, JsonSerializer.SerializeToElement(fields, TypedJsonContext.Default.JsonObject), id == Guid.Empty ? null : id, onConflict, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes what changed between the stored record and <paramref name="item"/>: one update with the changed fields,
    /// and an increment for each changed counter. Null when nothing changed.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The record does not exist (or was deleted).</exception>
    public async Task<LocalWrite?> UpdateAsync(T item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var id = (Guid)_shape.Id.GetValue(item)!;
        var stored = await _replica.GetAsync(Name, id, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"There is no record {id:D} in '{Name}' to update.");
        var changed = new JsonObject();
        LocalWrite? last = null;
        foreach (var (name, value) in Fields(item))
        {
            var before = stored.TryGetProperty(name, out var current) ? current : CanonicalJson.Null;
            var declared = _shape.Schema.Fields[name];
            if (declared.Counter)
            {
                var delta = (value.ValueKind == JsonValueKind.Null ? 0m : value.GetDecimal()) - (before.ValueKind == JsonValueKind.Null ? 0m : before.GetDecimal());
                if (delta != 0m)
                {
                    last = await _replica.IncrementAsync(Name, id, name, delta, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (!SameValue(declared, before, value))
            {
                changed[name] = JsonNode.Parse(value.GetRawText());
            }
        }

        if (changed.Count > 0)
        {
            last = await _replica.UpdateAsync(Name, id, JsonSerializer.SerializeToElement(changed, TypedJsonContext.Default.JsonObject), cancellationToken).ConfigureAwait(false);
        }

        return last;
    }

    /// <summary>Deletes a record; the tombstone is final.</summary>
    public Task<LocalWrite> DeleteAsync(Guid id, CancellationToken cancellationToken = default) => _replica.DeleteAsync(Name, id, cancellationToken);

    /// <summary>A record by id (or by an alias of it), or null when absent or deleted.</summary>
    public async Task<T?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        await _replica.GetAsync(Name, id, cancellationToken).ConfigureAwait(false) is { } record ? Read(record) : null;

    /// <summary>The live records, ordered by id, optionally filtered.</summary>
    public async Task<IReadOnlyList<T>> QueryAsync(Func<T, bool>? where = null, CancellationToken cancellationToken = default)
    {
        var records = (await _replica.QueryAsync(Name, cancellationToken).ConfigureAwait(false)).Select(Read);
        return [.. where is null ? records : records.Where(where)];
    }

    /// <summary>Adds an element to a set property.</summary>
    public async Task<LocalWrite> AddAsync<TElement>(Guid id, Expression<Func<T, IEnumerable<TElement>>> set, TElement element, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        return await _replica.AddAsync(Name, id, FieldName(set), JsonSerializer.SerializeToElement(element, _json), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes an element from a set property.</summary>
    public async Task<LocalWrite> RemoveAsync<TElement>(Guid id, Expression<Func<T, IEnumerable<TElement>>> set, TElement element, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        return await _replica.RemoveAsync(Name, id, FieldName(set), JsonSerializer.SerializeToElement(element, _json), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a delta to a counter property.</summary>
    public async Task<LocalWrite> IncrementAsync<TNumber>(Guid id, Expression<Func<T, TNumber>> counter, decimal delta, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        return await _replica.IncrementAsync(Name, id, FieldName(counter), delta, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Each change to a record of this collection: its id and its current value (null when deleted).</summary>
    public async IAsyncEnumerable<(Guid Id, T? Current)> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var change in _replica.WatchChangesAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var key in change.Records.Where(k => k.Collection == Name).Distinct())
            {
                yield return (key.Id, await GetAsync(key.Id, cancellationToken).ConfigureAwait(false));
            }
        }
    }

    /// <summary>Declares the collection's schema, unless the replica already holds every field of it.</summary>
    /// <exception cref="InvalidOperationException">The stream declares a field differently than <typeparamref name="T"/> does.</exception>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _schemaChecked) == 1)
        {
            return;
        }

        var addition = new StreamSchema(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, CollectionSchema>(Name, _shape.Schema)]));
        var current = await _replica.GetSchemaAsync(cancellationToken).ConfigureAwait(false);
        var merged = current.Merge(addition);
        if (merged.Rejection is { } conflict)
        {
            throw new InvalidOperationException($"{typeof(T).Name} does not fit the stream's schema: {conflict.Message}");
        }

        if (merged.IsChange)
        {
            var written = await _replica.DefineSchemaAsync(addition, cancellationToken).ConfigureAwait(false);
            if (written.Rejection is { } rejected)
            {
                throw new InvalidOperationException($"{typeof(T).Name}'s schema was rejected: {rejected.Message}");
            }
        }

        Volatile.Write(ref _schemaChecked, 1);
    }

    private IEnumerable<(string Name, JsonElement Value)> Fields(T item)
    {
        var json = JsonSerializer.SerializeToElement(item, _json);
        foreach (var (name, _) in _shape.Fields)
        {
            yield return (name, json.TryGetProperty(name, out var value) ? value : CanonicalJson.Null);
        }
    }

    private T Read(JsonElement record)
    {
        var json = new JsonObject();
        foreach (var property in record.EnumerateObject())
        {
            json[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        }

        foreach (var (name, declared) in _shape.Schema.Fields)
        {
            if (!json.ContainsKey(name) && declared.IsSet)
            {
                json[name] = new JsonArray();
            }
        }

        return json.Deserialize<T>(_json) ?? throw new JsonException($"A '{Name}' record could not be read as {typeof(T).Name}.");
    }

    private static bool SameValue(FieldSchema declared, JsonElement before, JsonElement after)
    {
        if (declared.IsSet)
        {
            IEnumerable<string> left = before.ValueKind == JsonValueKind.Array ? before.EnumerateArray().Select(e => ValueKeys.Of(declared.Type, e)).Order(StringComparer.Ordinal) : [];
            IEnumerable<string> right = after.ValueKind == JsonValueKind.Array ? after.EnumerateArray().Select(e => ValueKeys.Of(declared.Type, e)).Distinct().Order(StringComparer.Ordinal) : [];
            return left.SequenceEqual(right);
        }

        return before.ValueKind == after.ValueKind
            && (before.ValueKind is JsonValueKind.Null || ValueKeys.Of(declared.Type, before) == ValueKeys.Of(declared.Type, after));
    }

    private string FieldName(LambdaExpression selector)
    {
        var body = selector.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : selector.Body;
        if (body is MemberExpression { Member: PropertyInfo property } && _shape.Fields.FirstOrDefault(f => f.Value == property) is { Key: { } name })
        {
            return name;
        }

        throw new ArgumentException($"Select a property of {typeof(T).Name}, such as x => x.Tags.", nameof(selector));
    }
}
