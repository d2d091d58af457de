using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Converge.Server.Watch;

/// <summary>
/// Tells the watchers of a stream when its head grows. Pushes on this node publish after they commit; a store
/// shared by several nodes (PostgreSQL) publishes what other nodes committed.
/// </summary>
/// <remarks>Thread-safe. Subscribers are called on the publisher's thread and must not block.</remarks>
internal sealed class StreamHeads
{
    private readonly ConcurrentDictionary<string, ImmutableList<Action<long>>> _subscribers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _heads = new(StringComparer.Ordinal);

    /// <summary>The number of subscriptions, over every stream.</summary>
    public int Count => _subscribers.Values.Sum(s => s.Count);

    /// <summary>Says that a stream's head is now <paramref name="head"/>; smaller or repeated heads are ignored.</summary>
    public void Publish(string stream, long head)
    {
        while (true)
        {
            if (!_heads.TryGetValue(stream, out var current))
            {
                if (_heads.TryAdd(stream, head))
                {
                    break;
                }
            }
            else if (head <= current)
            {
                return;
            }
            else if (_heads.TryUpdate(stream, head, current))
            {
                break;
            }
        }

        if (!_subscribers.TryGetValue(stream, out var subscribers))
        {
            return;
        }

        foreach (var subscriber in subscribers)
        {
            try
            {
                subscriber(head);
            }
#pragma warning disable CA1031 // One watcher's fault must neither fail the push that published nor starve the other watchers.
            catch (Exception)
#pragma warning restore CA1031
            {
                // The watcher is going away; its own loop cleans up.
            }
        }
    }

    /// <summary>Calls <paramref name="onHead"/> with every new head of the stream until the result is disposed.</summary>
    public IDisposable Subscribe(string stream, Action<long> onHead)
    {
        ArgumentNullException.ThrowIfNull(onHead);
        _subscribers.AddOrUpdate(stream, _ => [onHead], (_, list) => list.Add(onHead));
        return new Subscription(this, stream, onHead);
    }

    private void Unsubscribe(string stream, Action<long> onHead) =>
        _subscribers.AddOrUpdate(stream, _ => [], (_, list) => list.Remove(onHead));

    private sealed class Subscription(StreamHeads owner, string stream, Action<long> onHead) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(stream, onHead);
            }
        }
    }
}
