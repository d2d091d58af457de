using System.Text.Json;
using Converge.Core.Actions;
using Converge.Core.Clock;
using Converge.Core.Schema;

namespace Converge.Client;

/// <summary>
/// Writes made together with <see cref="Replica.WriteBatchAsync"/>: stamped, applied and queued in order, in one local
/// transaction. Much faster than one call per write; each write still gets its own result.
/// </summary>
public sealed class WriteBatch
{
    private readonly Func<Guid> _ids;

    internal WriteBatch(Func<Guid> ids)
    {
        _ids = ids;
    }

    internal List<Func<HybridTimestamp, ConvergeAction>> Drafts { get; } = [];

    /// <summary>How many writes the batch holds.</summary>
    public int Count => Drafts.Count;

    /// <summary>Adds collections or fields to the schema.</summary>
    public void DefineSchema(StreamSchema schema) => Drafts.Add(ActionDrafts.Schema(_ids, schema));

    /// <summary>Creates a record; returns its id (a new UUIDv7 unless given).</summary>
    public Guid Create(string collection, JsonElement fields, Guid? id = null, OnConflict onConflict = OnConflict.Merge)
    {
        var record = id ?? _ids();
        Drafts.Add(ActionDrafts.Create(_ids, collection, fields, record, onConflict));
        return record;
    }

    /// <summary>Sets fields of a record.</summary>
    public void Update(string collection, Guid id, JsonElement fields) => Drafts.Add(ActionDrafts.Update(_ids, collection, id, fields));

    /// <summary>Deletes a record.</summary>
    public void Delete(string collection, Guid id) => Drafts.Add(ActionDrafts.Delete(_ids, collection, id));

    /// <summary>Adds an element to a set field.</summary>
    public void Add(string collection, Guid id, string field, JsonElement value) => Drafts.Add(ActionDrafts.Add(_ids, collection, id, field, value));

    /// <summary>Removes an element from a set field.</summary>
    public void Remove(string collection, Guid id, string field, JsonElement value) => Drafts.Add(ActionDrafts.Remove(_ids, collection, id, field, value));

    /// <summary>Adds a delta to a counter field.</summary>
    public void Increment(string collection, Guid id, string field, decimal delta) => Drafts.Add(ActionDrafts.Increment(_ids, collection, id, field, delta));
}
