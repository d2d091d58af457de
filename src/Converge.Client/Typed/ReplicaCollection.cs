using System.Collections.Immutable;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Converge.Core.Actions;
using Converge.Core.Clock;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Schema;

namespace Converge.Client.Typed;

/// <summary>
/// A collection of a replica over a C# record type: the schema comes from the type; insert, update, patch, delete,
/// get, query, set and counter operations, and change notifications. An update sends only what the caller changed
/// relative to what the caller read, so a copy read before other devices' edits arrived never reverts them.
/// </summary>
/// <typeparam name="T">The record type: public properties, and a <c>Guid Id</c>.</typeparam>
/// <remarks>
/// Thread-safe. The collection's schema is declared on the first write, once, and only if the replica lacks it.
/// Instances returned by reads are tracked (weakly) with what was read into them, for <see cref="UpdateAsync(T, CancellationToken)"/>.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A collection of the stream's schema, named as SPEC names it; not a .NET collection type.")]
public sealed class ReplicaCollection<T>
    where T : class
{
    private readonly Replica _replica;
    private readonly RecordShape _shape;
    private readonly RecordCodec<T> _codec;
    private readonly JsonSerializerOptions _json;
    private readonly ConditionalWeakTable<T, Dictionary<string, JsonElement>> _read = [];
    private int _schemaChecked;

    internal ReplicaCollection(Replica replica, string? name, JsonSerializerOptions json)
    {
        _replica = replica;
        _json = json;
        _shape = RecordShape.Of(typeof(T), name, json.PropertyNamingPolicy ?? JsonNamingPolicy.CamelCase);
        _codec = new RecordCodec<T>(_shape, json);
    }

    /// <summary>The collection's name.</summary>
    public string Name => _shape.Collection;

    /// <summary>The schema derived from <typeparamref name="T"/>.</summary>
    public CollectionSchema Schema => _shape.Schema;

    internal Func<Guid> Ids => _replica.NewId;

    /// <summary>
    /// Creates a record with the properties that were set: a property still holding its default (the value a new
    /// <typeparamref name="T"/> holds, or its type's default) is not sent, so when the record unifies with one another
    /// device created, this default never overwrites that device's value. An empty <c>Id</c> gets a new UUIDv7.
    /// </summary>
    public async Task<LocalWrite> InsertAsync(T item, OnConflict onConflict = OnConflict.Merge, CancellationToken cancellationToken = default)
    {
        var (_, draft) = InsertDraft(item, onConflict);
        return (await WriteAsync(_ => [draft], cancellationToken).ConfigureAwait(false))[0];
    }

    /// <summary>
    /// Writes what the caller changed between <paramref name="read"/> (the copy it read) and <paramref name="changed"/>:
    /// one update with the fields whose values differ, an increment by the difference of each counter, and an add or
    /// remove for each set element. Nothing the caller did not change is sent. Empty when nothing changed.
    /// </summary>
    /// <exception cref="ArgumentException">The two copies have different ids.</exception>
    public Task<IReadOnlyList<LocalWrite>> UpdateAsync(T read, T changed, CancellationToken cancellationToken = default)
    {
        var drafts = DiffDrafts(read, changed);
        return WriteTrackedAsync(changed, drafts, cancellationToken);
    }

    /// <summary>
    /// Changes a record as it stands now: <paramref name="change"/> gets the current record and returns the wanted one,
    /// and what it changed is written as <see cref="UpdateAsync(T, T, CancellationToken)"/> does, in the same
    /// transaction as the read, so nothing can land in between.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The record does not exist (or was deleted).</exception>
    public Task<IReadOnlyList<LocalWrite>> UpdateAsync(Guid id, Func<T, T> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync(state => ChangeDrafts(state, id, change), cancellationToken);
    }

    /// <summary>
    /// Writes what changed in an instance this collection returned (from <see cref="GetAsync"/>, <see cref="QueryAsync"/>
    /// or <see cref="WatchAsync"/>) since it was read or last saved: for classes changed in place. A copy made with
    /// <c>with</c> is a new instance that was never read: save it with <see cref="UpdateAsync(T, T, CancellationToken)"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The instance was not read from this collection.</exception>
    public Task<IReadOnlyList<LocalWrite>> UpdateAsync(T item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!_read.TryGetValue(item, out var read))
        {
            throw new InvalidOperationException(
                $"This {typeof(T).Name} was not read from '{Name}' (a 'with' copy is a new instance), so what it changed is unknown: " +
                "call UpdateAsync(read, changed), UpdateAsync(id, current => ...) or Patch(id).");
        }

        var drafts = TypedChanges.Diff(new RecordRef(Ids, Name, _codec.IdOf(item)), _shape.Schema, read, _codec.FieldsOf(item));
        return WriteTrackedAsync(item, drafts, cancellationToken);
    }

    /// <summary>Explicit changes to one record: <c>Patch(id).Set(t => t.Tier, Tier.Gold).Increment(t => t.Visits, 1).SaveAsync()</c>.</summary>
    public RecordPatch<T> Patch(Guid id) => new(this, id, standalone: true);

    /// <summary>Writes several typed changes of this collection in one local transaction (see <see cref="Replica.WriteBatchAsync"/>).</summary>
    public Task<IReadOnlyList<LocalWrite>> WriteBatchAsync(Action<CollectionBatch<T>> build, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(build);
        return _replica.WriteBatchAsync(batch => build(batch.In(this)), cancellationToken);
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
        return await _replica.AddAsync(Name, id, FieldOf(set).Name, Serialize(element, typeof(TElement)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes an element from a set property.</summary>
    public async Task<LocalWrite> RemoveAsync<TElement>(Guid id, Expression<Func<T, IEnumerable<TElement>>> set, TElement element, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        return await _replica.RemoveAsync(Name, id, FieldOf(set).Name, Serialize(element, typeof(TElement)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a delta to a counter property.</summary>
    public async Task<LocalWrite> IncrementAsync<TNumber>(Guid id, Expression<Func<T, TNumber>> counter, decimal delta, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        return await _replica.IncrementAsync(Name, id, FieldOf(counter).Name, delta, cancellationToken).ConfigureAwait(false);
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

    internal bool BelongsTo(Replica replica) => ReferenceEquals(replica, _replica);

    /// <summary>The id an insert writes and its action.</summary>
    internal (Guid Id, Func<HybridTimestamp, ConvergeAction> Draft) InsertDraft(T item, OnConflict onConflict)
    {
        ArgumentNullException.ThrowIfNull(item);
        var id = _codec.IdOf(item);
        id = id == Guid.Empty ? Ids() : id;
        var fields = TypedChanges.InsertFields(_shape.Schema, _codec.FieldsOf(item), _codec.Baseline);
        return (id, ActionDrafts.Create(Ids, Name, fields, id, onConflict));
    }

    /// <summary>The actions that take the caller's copy <paramref name="read"/> to <paramref name="changed"/>.</summary>
    internal List<Func<HybridTimestamp, ConvergeAction>> DiffDrafts(T read, T changed)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(changed);
        var id = _codec.IdOf(read);
        if (_codec.IdOf(changed) != id)
        {
            throw new ArgumentException($"The changed copy has id {_codec.IdOf(changed):D}, not {id:D}: an update changes one record.", nameof(changed));
        }

        return TypedChanges.Diff(new RecordRef(Ids, Name, id), _shape.Schema, _codec.FieldsOf(read), _codec.FieldsOf(changed));
    }

    /// <summary>The actions of <paramref name="change"/> applied to the record as <paramref name="state"/> shows it now.</summary>
    internal List<Func<HybridTimestamp, ConvergeAction>> ChangeDrafts(IRecordState state, Guid id, Func<T, T> change)
    {
        var record = state.GetRecord(MergeEngine.Resolve(state, Name, id));
        if (record is null || record.IsDeleted)
        {
            throw new KeyNotFoundException($"There is no record {id:D} in '{Name}' to update.");
        }

        var current = _codec.Read(CanonicalJson.Parse(RecordView.ToText(RecordSets.Materialize(state, record))));

        // Taken before the change runs: a class may be changed in place and returned.
        var before = _codec.FieldsOf(current);
        var changed = change(current) ?? throw new InvalidOperationException("The change returned null; return the record as it should be.");
        return TypedChanges.Diff(new RecordRef(Ids, Name, record.Key.Id), _shape.Schema, before, _codec.FieldsOf(changed));
    }

    /// <summary>Declares the schema if needed, then runs the plan in one transaction.</summary>
    internal async Task<IReadOnlyList<LocalWrite>> WriteAsync(WritePlan plan, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        return await _replica.WritePlansAsync([plan], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A property's field name and declaration.</summary>
    /// <exception cref="ArgumentException">The expression does not select a field property of <typeparamref name="T"/>.</exception>
    internal (string Name, FieldSchema Declared) FieldOf(LambdaExpression selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var body = selector.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : selector.Body;
        if (body is MemberExpression { Member: PropertyInfo property } && _shape.Fields.FirstOrDefault(f => f.Value == property) is { Key: { } name })
        {
            return (name, _shape.Schema.Fields[name]);
        }

        throw new ArgumentException($"Select a property of {typeof(T).Name}, such as x => x.Tags.", nameof(selector));
    }

    /// <summary>A value as the typed collection writes it.</summary>
    internal JsonElement Serialize(object? value, Type type) => JsonSerializer.SerializeToElement(value, type, _json);

    private async Task<IReadOnlyList<LocalWrite>> WriteTrackedAsync(T item, List<Func<HybridTimestamp, ConvergeAction>> drafts, CancellationToken cancellationToken)
    {
        var written = drafts.Count == 0 ? [] : await WriteAsync(_ => drafts, cancellationToken).ConfigureAwait(false);

        // What the caller holds is now what it wrote: a later UpdateAsync(item) sends only what changes after this.
        _read.AddOrUpdate(item, _codec.FieldsOf(item));
        return written;
    }

    private T Read(JsonElement record)
    {
        var item = _codec.Read(record);
        _read.AddOrUpdate(item, _codec.FieldsOf(item));
        return item;
    }
}
