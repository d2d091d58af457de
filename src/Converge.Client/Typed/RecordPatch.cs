using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Text.Json;
using System.Text.Json.Nodes;
using Converge.Core.Actions;
using Converge.Core.Clock;

namespace Converge.Client.Typed;

/// <summary>
/// Explicit changes to one record, field by field: values to set, counters to move, set elements to add or remove.
/// Only what is named is written, so nothing another device changed is touched.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
/// <remarks>Made by <see cref="ReplicaCollection{T}.Patch"/> (then <see cref="SaveAsync"/>) or inside a batch by <see cref="CollectionBatch{T}.Patch"/>.</remarks>
public sealed class RecordPatch<[DynamicallyAccessedMembers(RecordShape.Members)] T>
    where T : class
{
    private readonly ReplicaCollection<T> _collection;
    private readonly JsonObject _set = [];
    private readonly List<Func<RecordRef, Func<HybridTimestamp, ConvergeAction>>> _others = [];
    private readonly bool _standalone;

    internal RecordPatch(ReplicaCollection<T> collection, Guid id, bool standalone)
    {
        _collection = collection;
        Id = id;
        _standalone = standalone;
    }

    /// <summary>The record the patch changes.</summary>
    public Guid Id { get; }

    /// <summary>How many changes the patch holds (all values set count as one update).</summary>
    public int Count => (_set.Count > 0 ? 1 : 0) + _others.Count;

    /// <summary>Sets a field to a value (null clears it).</summary>
    /// <exception cref="ArgumentException">The property is not a field, or it is a counter or a set (move those with <see cref="Increment"/>, <see cref="Add"/>, <see cref="Remove"/>).</exception>
    public RecordPatch<T> Set<TValue>(Expression<Func<T, TValue>> field, TValue value)
    {
        var (name, declared) = _collection.FieldOf(field);
        if (declared.Counter || declared.IsSet)
        {
            throw new ArgumentException($"'{name}' is a {(declared.Counter ? "counter: move it with Increment" : "set: change it with Add and Remove")}, so no copy of it can undo what others did.", nameof(field));
        }

        _set[name] = JsonNode.Parse(_collection.Serialize(value, typeof(TValue)).GetRawText());
        return this;
    }

    /// <summary>Moves a counter by a delta.</summary>
    /// <exception cref="ArgumentException">The property is not a counter.</exception>
    public RecordPatch<T> Increment<TNumber>(Expression<Func<T, TNumber>> counter, decimal delta)
    {
        var (name, declared) = _collection.FieldOf(counter);
        if (!declared.Counter)
        {
            throw new ArgumentException($"'{name}' is not a [Counter]: set it with Set.", nameof(counter));
        }

        _others.Add(r => ActionDrafts.Increment(r.Ids, r.Collection, r.Id, name, delta));
        return this;
    }

    /// <summary>Adds an element to a set.</summary>
    public RecordPatch<T> Add<TElement>(Expression<Func<T, IEnumerable<TElement>>> set, TElement element) => Element(set, element, add: true);

    /// <summary>Removes an element from a set.</summary>
    public RecordPatch<T> Remove<TElement>(Expression<Func<T, IEnumerable<TElement>>> set, TElement element) => Element(set, element, add: false);

    /// <summary>Writes the patch: its actions in one local transaction, each with its own result (none when the patch is empty).</summary>
    /// <exception cref="InvalidOperationException">The patch belongs to a batch, which writes it.</exception>
    public Task<IReadOnlyList<LocalWrite>> SaveAsync(CancellationToken cancellationToken = default)
    {
        if (!_standalone)
        {
            throw new InvalidOperationException("This patch is part of a batch: the batch writes it.");
        }

        return _collection.WriteAsync(_ => Plan(_collection.Ids), cancellationToken);
    }

    /// <summary>The patch's actions: one update for every value set, then the other changes in the order named.</summary>
    internal IReadOnlyList<Func<HybridTimestamp, ConvergeAction>> Plan(Func<Guid> ids)
    {
        var record = new RecordRef(ids, _collection.Name, Id);
        var drafts = new List<Func<HybridTimestamp, ConvergeAction>>(Count);
        if (_set.Count > 0)
        {
            drafts.Add(ActionDrafts.Update(ids, record.Collection, Id, JsonSerializer.SerializeToElement(_set, TypedJsonContext.Default.JsonObject)));
        }

        drafts.AddRange(_others.Select(make => make(record)));
        return drafts;
    }

    private RecordPatch<T> Element<TElement>(Expression<Func<T, IEnumerable<TElement>>> set, TElement element, bool add)
    {
        var (name, declared) = _collection.FieldOf(set);
        if (!declared.IsSet)
        {
            throw new ArgumentException($"'{name}' is not a set: set it with Set.", nameof(set));
        }

        var value = _collection.Serialize(element, typeof(TElement));
        _others.Add(r => add ? ActionDrafts.Add(r.Ids, r.Collection, r.Id, name, value) : ActionDrafts.Remove(r.Ids, r.Collection, r.Id, name, value));
        return this;
    }
}
