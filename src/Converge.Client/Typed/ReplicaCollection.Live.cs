using System.Runtime.CompilerServices;
using Converge.Client.Live;

namespace Converge.Client.Typed;

/// <summary>Live queries of a typed collection.</summary>
public sealed partial class ReplicaCollection<T>
    where T : class
{
    private LiveRecordComparer<T>? _liveComparer;

    /// <summary>Two records are equal for a live query when they are the same record with the same values (not the same instance).</summary>
    internal IEqualityComparer<T> LiveComparer => _liveComparer ??= new LiveRecordComparer<T>(_codec);

    /// <summary>What makes two results' items the same row of a bound list: the record id.</summary>
    internal Func<T, object?> LiveKey => item => _codec.IdOf(item);

    /// <summary>
    /// <see cref="QueryAsync"/> as a live query: its result now, then a fresh one after each commit that touched this
    /// collection (a local write, a sync, a reload), only when it changed. Commits that come in a burst give one result.
    /// </summary>
    /// <remarks>Ends when the replica closes. Runs the query again in full each time (it reads the whole collection).</remarks>
    public async IAsyncEnumerable<IReadOnlyList<T>> WatchQueryAsync(Func<T, bool>? where = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var result in LiveQuery.WatchAsync(_replica, Name, ct => QueryAsync(where, ct), LiveComparer, cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    /// <summary>
    /// <see cref="WatchQueryAsync"/> as a list a view binds to: it holds the first result when the task completes, and
    /// applies each fresh one as the changes that make it, raised on <paramref name="context"/>.
    /// </summary>
    /// <param name="where">The filter, as <see cref="QueryAsync"/>'s.</param>
    /// <param name="context">Where the list changes and raises its events; default the context current at the call (the UI thread's).</param>
    /// <param name="cancellationToken">Cancels the first result's wait, and then stops the list as disposing it does.</param>
    public Task<LiveList<T>> ObserveQueryAsync(Func<T, bool>? where = null, SynchronizationContext? context = null, CancellationToken cancellationToken = default) =>
        LiveList<T>.CreateAsync(WatchQueryAsync(where, CancellationToken.None), LiveKey, LiveComparer, context ?? SynchronizationContext.Current, cancellationToken);
}
