using System.Collections.Concurrent;

namespace Converge.Client.Storage;

/// <summary>
/// A small pool of <see cref="ReplicaReader"/> connections to the replica file: reads run on the thread pool, each on a
/// reader of its own, concurrent with each other and with the writer (WAL: a reader sees the last commit before it began).
/// </summary>
/// <remarks>
/// Connections open on first use and stay open. <see cref="Exclusive"/> closes them for a moment (a snapshot load must
/// have the file alone to leave WAL mode); <see cref="CloseAsync"/> waits for the reads under way, then refuses more.
/// </remarks>
internal sealed class ReplicaReaders : IDisposable
{
    private readonly string _path;
    private readonly int _size;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<ReplicaReader> _idle = [];
    private volatile bool _closed;

    public ReplicaReaders(string path, int size)
    {
        _path = path;
        _size = size;
        _slots = new SemaphoreSlim(size, size);
    }

    /// <summary>How many reads may run at once: a few, as the machines a replica runs on have few cores.</summary>
    public static int DefaultSize => Math.Clamp(Environment.ProcessorCount, 2, 4);

    /// <summary>
    /// Runs <paramref name="read"/> on the thread pool, on a reader, in one read transaction. The task never completes on
    /// the caller's thread, and never runs on its synchronization context.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The replica is closed (or closing).</exception>
    public Task<T> ReadAsync<T>(Func<ReplicaReader, T> read, CancellationToken cancellationToken)
    {
        if (_closed)
        {
            return Task.FromException<T>(new ObjectDisposedException(typeof(Replica).FullName));
        }

        return Task.Run(
            async () =>
            {
                await EnterAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    ObjectDisposedException.ThrowIf(_closed, typeof(Replica));
                    cancellationToken.ThrowIfCancellationRequested();
                    var reader = _idle.TryTake(out var idle) ? idle : ReplicaReader.Open(_path);
                    var reused = false;
                    try
                    {
                        var result = reader.Read(read);
                        reused = true;
                        return result;
                    }
                    finally
                    {
                        // A reader whose read failed may be in any state: it is closed, not lent again.
                        if (reused)
                        {
                            _idle.Add(reader);
                        }
                        else
                        {
                            reader.Dispose();
                        }
                    }
                }
                finally
                {
                    _slots.Release();
                }
            },
            cancellationToken);
    }

    /// <summary>Waits for the reads under way, closes every reader, and holds new reads until the result is disposed.</summary>
    /// <remarks>Synchronous: called inside the writer's transaction work (a snapshot load), which readers never wait for.</remarks>
    public IDisposable Exclusive()
    {
        for (var taken = 0; taken < _size; taken++)
        {
            _slots.Wait();
        }

        CloseIdle();
        return new Held(this);
    }

    /// <summary>Refuses new reads, waits for those under way, and closes every reader.</summary>
    public async Task CloseAsync()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        for (var taken = 0; taken < _size; taken++)
        {
            await _slots.WaitAsync().ConfigureAwait(false);
        }

        CloseIdle();
    }

    /// <summary>Closes the idle readers (after <see cref="CloseAsync"/>, that is all of them).</summary>
    public void Dispose()
    {
        _closed = true;
        CloseIdle();
    }

    private async Task EnterAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_closed, typeof(Replica));
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void CloseIdle()
    {
        while (_idle.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    private sealed class Held(ReplicaReaders readers) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                readers._slots.Release(readers._size);
            }
        }
    }
}
