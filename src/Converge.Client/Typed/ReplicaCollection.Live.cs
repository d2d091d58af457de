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

    /// <summary>A live query over this collection: <paramref name="run"/>'s result now, then after each commit that touched the collection, when it changed.</summary>
    internal IAsyncEnumerable<IReadOnlyList<TResult>> WatchAsync<TResult>(Func<CancellationToken, Task<IReadOnlyList<TResult>>> run, IEqualityComparer<TResult> comparer, CancellationToken cancellationToken) =>
        LiveQuery.WatchAsync(_replica, Name, run, comparer, cancellationToken);
}
