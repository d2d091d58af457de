using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Converge.Client.Kernel;

/// <summary>
/// The replica's change notifications: queued by whoever changed data under the lock, raised by <see cref="Flush"/>
/// once it is released (so handlers may read the replica), to the event and to every watcher.
/// </summary>
internal sealed class ChangeFeed
{
    private readonly ConcurrentQueue<ReplicaChange> _queued = new();
    private readonly List<Channel<ReplicaChange>> _watchers = [];
    private readonly List<Subscription> _subscribers = [];
    private bool _completed;

    /// <summary>Raised for each change, before the watchers get it.</summary>
    public event Action<ReplicaChange>? Raised;

    /// <summary>Queues a change that touched records, or reloaded the replica; others are dropped.</summary>
    public void Queue(ReplicaChange change)
    {
        if (change.Records.Count > 0 || change.Reloaded)
        {
            _queued.Enqueue(change);
        }
    }

    /// <summary>Raises the queued changes. Call with the replica's lock released.</summary>
    public void Flush()
    {
        while (_queued.TryDequeue(out var change))
        {
            Raised?.Invoke(change);
            Subscription[] subscribers;
            lock (_watchers)
            {
                _watchers.ForEach(c => c.Writer.TryWrite(change));
                subscribers = [.. _subscribers];
            }

            foreach (var subscriber in subscribers)
            {
                subscriber.Changed(change);
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="changed"/> for each change from now on (registered before this returns, on the thread that
    /// flushes: keep it short), and <paramref name="completed"/> once the replica closed (at once when it has), until disposed.
    /// </summary>
    public IDisposable Subscribe(Action<ReplicaChange> changed, Action completed)
    {
        var subscription = new Subscription(this, changed, completed);
        lock (_watchers)
        {
            if (!_completed)
            {
                _subscribers.Add(subscription);
                return subscription;
            }
        }

        completed();
        return subscription;
    }

    /// <summary>Every change from now on, until cancelled or <see cref="Complete"/>.</summary>
    public async IAsyncEnumerable<ReplicaChange> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<ReplicaChange>(new UnboundedChannelOptions { SingleReader = true });
        lock (_watchers)
        {
            _watchers.Add(channel);
        }

        try
        {
            await foreach (var change in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return change;
            }
        }
        finally
        {
            lock (_watchers)
            {
                _watchers.Remove(channel);
            }
        }
    }

    /// <summary>Ends every watch (the replica closed).</summary>
    public void Complete()
    {
        Subscription[] subscribers;
        lock (_watchers)
        {
            _completed = true;
            _watchers.ForEach(c => c.Writer.TryComplete());
            subscribers = [.. _subscribers];
            _subscribers.Clear();
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Completed();
        }
    }

    private sealed class Subscription(ChangeFeed feed, Action<ReplicaChange> changed, Action completed) : IDisposable
    {
        public Action<ReplicaChange> Changed => changed;

        public Action Completed => completed;

        public void Dispose()
        {
            lock (feed._watchers)
            {
                feed._subscribers.Remove(this);
            }
        }
    }
}
