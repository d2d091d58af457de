using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Converge.Client.Live;

/// <summary>
/// Live queries over any query of one collection: the first result, then a fresh one after each commit that touched the
/// collection (a local write, a sync, a reload), and only when it differs from the last one yielded.
/// </summary>
/// <remarks>
/// The query layer's <c>Watch()</c> is <see cref="WatchAsync{T}"/> over its own <c>ToListAsync</c>. Commits that land while
/// the query runs are coalesced: however many, the query runs once more after it, and sees all of them.
/// </remarks>
internal static class LiveQuery
{
    /// <summary>The results of <paramref name="run"/>: now, and again after each commit that touched <paramref name="collection"/>.</summary>
    /// <param name="replica">The replica whose commits wake the query.</param>
    /// <param name="collection">The collection the query reads: commits that touched only other collections never run it again.</param>
    /// <param name="run">Runs the query (on the replica's readers; it is called again for each fresh result).</param>
    /// <param name="comparer">How two results' items compare, to skip a result equal to the last; default <see cref="EqualityComparer{T}.Default"/>.</param>
    /// <param name="cancellationToken">Ends the enumeration (with <see cref="OperationCanceledException"/>).</param>
    /// <returns>Ends when the replica closes.</returns>
    public static async IAsyncEnumerable<IReadOnlyList<T>> WatchAsync<T>(
        Replica replica,
        string collection,
        Func<CancellationToken, Task<IReadOnlyList<T>>> run,
        IEqualityComparer<T>? comparer = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replica);
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(run);
        comparer ??= EqualityComparer<T>.Default;

        // One pending wake-up at most: a burst of commits during a run wakes the next run once.
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        using var subscription = replica.SubscribeChanges(
            change =>
            {
                if (change.Touches(collection))
                {
                    wake.Writer.TryWrite(true);
                }
            },
            () => wake.Writer.TryComplete());

        IReadOnlyList<T>? last = null;
        while (true)
        {
            IReadOnlyList<T> result;
            try
            {
                result = await run(cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // The replica is closing: the watch ends as its change feed does.
                yield break;
            }

            if (last is null || !last.SequenceEqual(result, comparer))
            {
                last = result;
                yield return result;
            }

            if (!await wake.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield break;
            }

            wake.Reader.TryRead(out _);
        }
    }
}
