using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
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
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A collection of the stream's schema, named as the docs name it; not a .NET collection type.")]
public sealed partial class ReplicaCollection<[DynamicallyAccessedMembers(RecordShape.Members)] T>
    where T : class
{
    private readonly Replica _replica;
    private readonly RecordShape _shape;
    private readonly RecordCodec<T> _codec;
    private readonly ConditionalWeakTable<T, TrackedInstance> _tracked = [];
    private int _schemaChecked;

    internal ReplicaCollection(Replica replica, string? name, JsonTypeInfo<T> json)
    {
        _replica = replica;
        _shape = RecordShape.Of(typeof(T), name, json.Options.PropertyNamingPolicy ?? JsonNamingPolicy.CamelCase);
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
    /// device created, this default never overwrites that device's value. An empty <c>Id</c> gets a new UUIDv7 (in
    /// <see cref="LocalWrite.Record"/>; the instance keeps its empty <c>Id</c>). The instance is tracked from then on, with
    /// the record's id: change it in place and save it with <see cref="UpdateAsync(T, CancellationToken)"/>.
    /// </summary>
    public async Task<LocalWrite> InsertAsync(T item, OnConflict onConflict = OnConflict.Merge, CancellationToken cancellationToken = default)
    {
        var (_, draft, untrack) = InsertTracked(item, onConflict);
        try
        {
            return (await WriteAsync(_ => [draft], cancellationToken).ConfigureAwait(false))[0];
        }
        catch
        {
            untrack();
            throw;
        }
    }

    /// <summary>
    /// Writes what the caller changed between <paramref name="read"/> (the copy it read) and <paramref name="changed"/>:
    /// one update with the fields whose values differ, an increment by the difference of each counter, and an add or
    /// remove for each set element. Nothing the caller did not change is sent. Empty when nothing changed.
    /// </summary>
    /// <remarks><paramref name="changed"/> is tracked from then on, as what was saved: a later <see cref="UpdateAsync(T, CancellationToken)"/> of it sends what changes after this.</remarks>
    /// <exception cref="ArgumentException">The two copies have different ids.</exception>
    public Task<IReadOnlyList<LocalWrite>> UpdateAsync(T read, T changed, CancellationToken cancellationToken = default)
    {
        var before = FieldsOf(read, nameof(read));
        var id = _codec.IdOf(read);
        CheckSameId(id, changed);
        if (!_tracked.TryGetValue(changed, out var tracked) || tracked.Id != id)
        {
            tracked = new TrackedInstance(id, null);
            _tracked.AddOrUpdate(changed, tracked);
        }

        Save save;
        lock (tracked.Gate)
        {
            // The fields are taken once: an edit of 'changed' while this save waits for the replica is the next save's.
            var after = _codec.FieldsOf(changed);
            save = new Save(tracked, tracked.Baseline, before, after, Diff(id, before, after));
            tracked.Baseline = after;
        }

        return SaveAsync(save, cancellationToken);
    }

    /// <summary>
    /// Changes a record as it stands now: <paramref name="change"/> gets the current record and returns the wanted one,
    /// and what it changed is written as <see cref="UpdateAsync(T, T, CancellationToken)"/> does, in the same
    /// transaction as the read, so nothing can land in between.
    /// </summary>
    /// <remarks>
    /// <paramref name="change"/> runs under the replica's lock, inside the write's transaction: keep it short, and do not
    /// call the replica from it.
    /// </remarks>
    /// <exception cref="KeyNotFoundException">The record does not exist (or was deleted).</exception>
    /// <exception cref="ArgumentException"><paramref name="change"/> returned a record with another id.</exception>
    public Task<IReadOnlyList<LocalWrite>> UpdateAsync(Guid id, Func<T, T> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync(state => ChangeDrafts(state, id, change), cancellationToken);
    }

    /// <summary>
    /// Writes what changed in an instance this collection returned (from <see cref="GetAsync"/>, <see cref="QueryAsync"/>
    /// or <see cref="WatchAsync"/>), inserted or saved, since it was read or last saved: for classes changed in place. A
    /// copy made with <c>with</c> is a new instance that was never read: save it with <see cref="UpdateAsync(T, T, CancellationToken)"/>.
    /// </summary>
    /// <remarks>
    /// The instance's fields are taken when the call is made: an edit made while the save waits for the replica is left
    /// for the next save. Saves of one instance racing each other each send a part of the changes, never one twice.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The instance was not read, inserted or saved through this collection.</exception>
    /// <exception cref="ArgumentException">The instance's <c>Id</c> was changed to another record's.</exception>
    public Task<IReadOnlyList<LocalWrite>> UpdateAsync(T item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!_tracked.TryGetValue(item, out var tracked))
        {
            throw NotTracked();
        }

        if (_codec.IdOf(item) is var own && own != Guid.Empty && own != tracked.Id)
        {
            throw new ArgumentException($"This {typeof(T).Name} is record {tracked.Id:D} but its Id is now {own:D}: an update changes one record.", nameof(item));
        }

        Save save;
        lock (tracked.Gate)
        {
            // Diff and swap in one step: a save racing this one diffs against what this one sends, so nothing goes twice.
            var before = tracked.Baseline ?? throw NotTracked();
            var after = _codec.FieldsOf(item);
            save = new Save(tracked, before, before, after, Diff(tracked.Id, before, after));
            tracked.Baseline = after;
        }

        return SaveAsync(save, cancellationToken);
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

    /// <summary>The live records, ordered by id, optionally filtered in memory.</summary>
    /// <remarks>
    /// Reads and deserializes every record of the collection, then filters them here: for a whole collection. To
    /// filter, sort or page, use <see cref="Query"/>, which runs in SQLite with the collection's indexes.
    /// </remarks>
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
    public async IAsyncEnumerable<RecordChange<T>> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var change in _replica.WatchChangesAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var key in change.Records.Where(k => k.Collection == Name).Distinct())
            {
                yield return new RecordChange<T>(key.Id, await GetAsync(key.Id, cancellationToken).ConfigureAwait(false));
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

    /// <summary>
    /// The id an insert writes and its action; the instance is tracked from now on with what it holds, and the returned
    /// undo takes that back when the write fails.
    /// </summary>
    internal (Guid Id, Func<HybridTimestamp, ConvergeAction> Draft, Action Untrack) InsertTracked(T item, OnConflict onConflict)
    {
        ArgumentNullException.ThrowIfNull(item);
        var id = _codec.IdOf(item);
        id = id == Guid.Empty ? Ids() : id;
        var held = _codec.FieldsOf(item);
        var fields = TypedChanges.InsertFields(_shape.Schema, held, _codec.Baseline);
        var previous = _tracked.TryGetValue(item, out var was) ? was : null;
        var tracked = new TrackedInstance(id, held);
        _tracked.AddOrUpdate(item, tracked);
        return (id, ActionDrafts.Create(Ids, Name, fields, id, onConflict), Untrack);

        void Untrack()
        {
            if (_tracked.TryGetValue(item, out var now) && ReferenceEquals(now, tracked))
            {
                if (previous is null)
                {
                    _tracked.Remove(item);
                }
                else
                {
                    _tracked.AddOrUpdate(item, previous);
                }
            }
        }
    }

    /// <summary>The actions that take the caller's copy <paramref name="read"/> to <paramref name="changed"/>.</summary>
    internal List<Func<HybridTimestamp, ConvergeAction>> DiffDrafts(T read, T changed)
    {
        var before = FieldsOf(read, nameof(read));
        var id = _codec.IdOf(read);
        CheckSameId(id, changed);
        return Diff(id, before, _codec.FieldsOf(changed));
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
        if (_codec.IdOf(changed) != record.Key.Id)
        {
            throw new ArgumentException($"The change returned a record with id {_codec.IdOf(changed):D}, not {record.Key.Id:D}: an update changes one record.", nameof(change));
        }

        return Diff(record.Key.Id, before, _codec.FieldsOf(changed));
    }

    /// <summary>The actions that make what changed between two field sets of one record of this collection.</summary>
    private List<Func<HybridTimestamp, ConvergeAction>> Diff(Guid id, IReadOnlyDictionary<string, JsonElement> before, IReadOnlyDictionary<string, JsonElement> after) =>
        TypedChanges.Diff(new RecordRef(Ids, Name, id), _shape.Schema, before, after);

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
    internal JsonElement Serialize(object? value, Type type) => JsonSerializer.SerializeToElement(value, _codec.Options.GetTypeInfo(type));

    /// <summary>Writes a save whose baseline is already swapped; when the write fails, the save is taken back out of the baseline.</summary>
    private async Task<IReadOnlyList<LocalWrite>> SaveAsync(Save save, CancellationToken cancellationToken)
    {
        if (save.Drafts.Count == 0)
        {
            return [];
        }

        try
        {
            return await WriteAsync(_ => save.Drafts, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (save.Tracked.Gate)
            {
                var current = save.Tracked.Baseline;
                save.Tracked.Baseline = ReferenceEquals(current, save.After) || current is null
                    ? save.Previous
                    : TypedChanges.Revert(_shape.Schema, current, save.Before, save.After);
            }

            throw;
        }
    }

    private InvalidOperationException NotTracked() => new(
        $"This {typeof(T).Name} was not read from '{Name}' (a 'with' copy is a new instance), so what it changed is unknown: " +
        "call UpdateAsync(read, changed), UpdateAsync(id, current => ...) or Patch(id).");

    private Dictionary<string, JsonElement> FieldsOf(T item, string parameter)
    {
        ArgumentNullException.ThrowIfNull(item, parameter);
        return _codec.FieldsOf(item);
    }

    private void CheckSameId(Guid id, T changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        if (_codec.IdOf(changed) != id)
        {
            throw new ArgumentException($"The changed copy has id {_codec.IdOf(changed):D}, not {id:D}: an update changes one record.", nameof(changed));
        }
    }

    private T Read(JsonElement record)
    {
        var item = _codec.Read(record);
        _tracked.AddOrUpdate(item, new TrackedInstance(_codec.IdOf(item), _codec.FieldsOf(item)));
        return item;
    }

    /// <summary>
    /// A save under way: the baseline it replaced (<paramref name="Previous"/>, put back when it fails and nothing saved
    /// since), what it diffed from and to, and its actions.
    /// </summary>
    private sealed record Save(TrackedInstance Tracked, IReadOnlyDictionary<string, JsonElement>? Previous, IReadOnlyDictionary<string, JsonElement> Before, IReadOnlyDictionary<string, JsonElement> After, List<Func<HybridTimestamp, ConvergeAction>> Drafts);
}
