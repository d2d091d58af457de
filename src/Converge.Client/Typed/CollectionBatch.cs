using System.Diagnostics.CodeAnalysis;
using Converge.Core.Actions;

namespace Converge.Client.Typed;

/// <summary>
/// The typed writes of one collection inside a <see cref="WriteBatch"/>: they run in the batch's order, in its one
/// transaction, and each sees what the writes before it did.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public sealed class CollectionBatch<[DynamicallyAccessedMembers(RecordShape.Members)] T>
    where T : class
{
    private readonly ReplicaCollection<T> _collection;
    private readonly WriteBatch _batch;

    internal CollectionBatch(ReplicaCollection<T> collection, WriteBatch batch)
    {
        _collection = collection;
        _batch = batch;
    }

    /// <summary>
    /// Inserts a record (see <see cref="ReplicaCollection{T}.InsertAsync"/>); returns its id. The instance is tracked
    /// with that id, for <see cref="ReplicaCollection{T}.UpdateAsync(T, CancellationToken)"/>, unless the batch fails.
    /// </summary>
    public Guid Insert(T item, OnConflict onConflict = OnConflict.Merge)
    {
        var (id, draft, untrack) = _collection.InsertTracked(item, onConflict);
        _batch.Add(_ => [draft]);
        _batch.OnFailure(untrack);
        return id;
    }

    /// <summary>Writes what changed between two copies the caller holds (see <see cref="ReplicaCollection{T}.UpdateAsync(T, T, CancellationToken)"/>).</summary>
    public void Update(T read, T changed)
    {
        var drafts = _collection.DiffDrafts(read, changed);
        _batch.Add(_ => drafts);
    }

    /// <summary>Changes the record as it stands when the batch reaches this write (see <see cref="ReplicaCollection{T}.UpdateAsync(Guid, Func{T, T}, CancellationToken)"/>).</summary>
    public void Update(Guid id, Func<T, T> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _batch.Add(state => _collection.ChangeDrafts(state, id, change));
    }

    /// <summary>Explicit changes to one record (see <see cref="RecordPatch{T}"/>).</summary>
    public void Patch(Guid id, Action<RecordPatch<T>> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        var patch = new RecordPatch<T>(_collection, id, standalone: false);
        build(patch);
        _batch.Add(_ => patch.Plan(_collection.Ids));
    }

    /// <summary>Deletes a record.</summary>
    public void Delete(Guid id) => _batch.Add(_ => [ActionDrafts.Delete(_collection.Ids, _collection.Name, id)]);
}
