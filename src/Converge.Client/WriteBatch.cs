using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Converge.Client.Typed;
using Converge.Core.Actions;
using Converge.Core.Schema;

namespace Converge.Client;

/// <summary>
/// Writes made together with <see cref="Replica.WriteBatchAsync"/>: stamped, applied and queued in order, in one local
/// transaction. Much faster than one call per write; each write still gets its own result.
/// </summary>
public sealed class WriteBatch
{
    private readonly Replica _replica;
    private readonly Dictionary<object, object> _typed = [];
    private readonly List<Action> _undos = [];

    internal WriteBatch(Replica replica)
    {
        _replica = replica;
    }

    internal List<WritePlan> Plans { get; } = [];

    /// <summary>The schema declarations the typed collections of the batch need before it runs.</summary>
    internal List<Func<CancellationToken, Task>> Schemas { get; } = [];

    /// <summary>How many writes the batch holds.</summary>
    public int Count => Plans.Count;

    /// <summary>Adds collections or fields to the schema.</summary>
    public void DefineSchema(StreamSchema schema) => Add(ActionDrafts.Schema(_replica.NewId, schema));

    /// <summary>Creates a record; returns its id (a new UUIDv7 unless given).</summary>
    public Guid Create(string collection, JsonElement fields, Guid? id = null, OnConflict onConflict = OnConflict.Merge)
    {
        var record = id ?? _replica.NewId();
        Add(ActionDrafts.Create(_replica.NewId, collection, fields, record, onConflict));
        return record;
    }

    /// <summary>Sets fields of a record.</summary>
    public void Update(string collection, Guid id, JsonElement fields) => Add(ActionDrafts.Update(_replica.NewId, collection, id, fields));

    /// <summary>Deletes a record.</summary>
    public void Delete(string collection, Guid id) => Add(ActionDrafts.Delete(_replica.NewId, collection, id));

    /// <summary>Adds an element to a set field.</summary>
    public void Add(string collection, Guid id, string field, JsonElement value) => Add(ActionDrafts.Add(_replica.NewId, collection, id, field, value));

    /// <summary>Removes an element from a set field.</summary>
    public void Remove(string collection, Guid id, string field, JsonElement value) => Add(ActionDrafts.Remove(_replica.NewId, collection, id, field, value));

    /// <summary>Adds a delta to a counter field.</summary>
    public void Increment(string collection, Guid id, string field, decimal delta) => Add(ActionDrafts.Increment(_replica.NewId, collection, id, field, delta));

    /// <summary>The typed writes of one collection in this batch: inserts, updates, patches and deletes, in the batch's order.</summary>
    /// <exception cref="ArgumentException">The collection belongs to another replica.</exception>
    public CollectionBatch<T> In<[DynamicallyAccessedMembers(RecordShape.Members)] T>(ReplicaCollection<T> collection)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(collection);
        if (!collection.BelongsTo(_replica))
        {
            throw new ArgumentException("The collection belongs to another replica.", nameof(collection));
        }

        if (!_typed.TryGetValue(collection, out var typed))
        {
            typed = new CollectionBatch<T>(collection, this);
            _typed[collection] = typed;
            Schemas.Add(collection.EnsureSchemaAsync);
        }

        return (CollectionBatch<T>)typed;
    }

    internal void Add(WritePlan plan) => Plans.Add(plan);

    /// <summary>Takes back, when the batch throws, what a write of it did outside the replica (an instance it tracked).</summary>
    internal void OnFailure(Action undo) => _undos.Add(undo);

    /// <summary>Runs the undos of a batch that threw, last first.</summary>
    internal void Undo()
    {
        for (var i = _undos.Count - 1; i >= 0; i--)
        {
            _undos[i]();
        }
    }

    private void Add(Func<Core.Clock.HybridTimestamp, ConvergeAction> draft) => Plans.Add(_ => [draft]);
}
