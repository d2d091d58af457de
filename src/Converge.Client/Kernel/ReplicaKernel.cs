using Converge.Client.Storage;
using Converge.Client.Sync;
using Converge.Client.Transport;
using Converge.Core.Clock;
using Converge.Core.Merge;

namespace Converge.Client.Kernel;

/// <summary>
/// What every part of a replica shares: the file, the clock, the transport, the one lock, change notification and the
/// confirmation waiters. The local writer, the sync engine, the bootstrapper and the loop each receive it; the public
/// <see cref="Replica"/> is a façade over it and them.
/// </summary>
/// <remarks>
/// Every change of the file runs inside <see cref="LockedAsync{T}"/>, which serializes them. Reads run in
/// <see cref="ReadAsync{T}(Func{ReplicaReader, T}, CancellationToken)"/> instead: on the file's read-only connections, off
/// the caller's thread, without the lock, each in one read transaction.
/// </remarks>
internal sealed class ReplicaKernel : IAsyncDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly IReplicaTestHooks? _hooks;

    private ReplicaKernel(ReplicaOptions options, ReplicaFile file, HybridClock clock, ISyncTransport? transport)
    {
        Options = options;
        File = file;
        Clock = clock;
        Transport = transport;
        _hooks = options.TestHooks;
        ClientId = Guid.ParseExact(file.Meta.Get(ReplicaKeys.ClientId)!, "D");
        Stream = file.Meta.Get(ReplicaKeys.Stream)!;
    }

    /// <summary>Raised after every sync step that moved something, and after every sync run.</summary>
    public event Action<SyncReport>? Synced;

    /// <summary>Raised when a step of the loop failed.</summary>
    public event Action<Exception>? SyncFailed;

    /// <summary>Raised when something wants a sync soon (a local write queued an action).</summary>
    public event Action? SyncWanted;

    public ReplicaOptions Options { get; }

    public ReplicaFile File { get; }

    public HybridClock Clock { get; }

    public ISyncTransport? Transport { get; }

    public Guid ClientId { get; }

    public string Stream { get; }

    public TimeProvider Time => Options.Time;

    public ChangeFeed Changes { get; } = new();

    public ConfirmationWaiters Waiters { get; } = new();

    /// <summary>True once the replica began closing; calls made after it throw.</summary>
    public bool IsClosing { get; private set; }

    /// <summary>The context of applying an action here: the principal the server last named.</summary>
    public ApplyContext Context => new(File.Meta.Get(ReplicaKeys.Principal));

    /// <summary>The context of a write made here now: the rules for new actions apply (a replay of the log does not need them).</summary>
    public ApplyContext NewWriteContext => Context with { IsNew = true };

    /// <summary>Opens (or creates) the file and everything it holds; see <see cref="Replica.Open"/>.</summary>
    public static ReplicaKernel Open(ReplicaOptions options)
    {
        var file = ReplicaFile.Open(options.Path, options.FullDurability);
        try
        {
            ReplicaSettings.Apply(file, options);
            var clientId = Guid.ParseExact(file.Meta.Get(ReplicaKeys.ClientId)!, "D");
            var saved = new HybridClockState(file.Meta.GetLong(ReplicaKeys.ClockLast), file.Meta.GetLong(ReplicaKeys.ClockOffset));
            var clock = new HybridClock(options.Time, NodeId.FromGuid(clientId), saved);
            return new ReplicaKernel(options, file, clock, options.Transport ?? ReplicaSettings.HttpTransport(file, clientId, options.Time));
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            file.Dispose();
            throw ReplicaFileErrors.Open(file.Path, e);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>A new id from <see cref="ReplicaOptions.NewId"/>.</summary>
    public Guid NewId() => Options.NewId();

    /// <summary>Stores the clock's last stamp, inside the caller's transaction.</summary>
    public void SaveClock() => File.Meta.Set(ReplicaKeys.ClockLast, Clock.Save().LastNanoseconds);

    /// <summary>Learns the server's time from an answer that carried it, to stamp within its drift bound.</summary>
    public void LearnServerTime(DateTimeOffset? serverTime, DateTimeOffset sentAt, DateTimeOffset receivedAt)
    {
        if (serverTime is { } time)
        {
            Clock.LearnServerTime(time, sentAt, receivedAt);
        }
    }

    /// <summary>Passes a test point: nothing unless a test set hooks.</summary>
    public void Reached(ReplicaTestPoint point) => _hooks?.Reached(point);

    /// <summary>True when a test planted <paramref name="bug"/>; never in a shipped replica.</summary>
    public bool Plants(ReplicaBug bug) => _hooks?.Plants(bug) == true;

    /// <summary>
    /// Runs work under the replica's one lock, then raises the change notifications it queued, with the lock released
    /// (so handlers may read the replica).
    /// </summary>
    public async Task<T> LockedAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        T result;
        try
        {
            result = work();
        }
        finally
        {
            _lock.Release();
        }

        Changes.Flush();
        return result;
    }

    /// <summary>As <see cref="LockedAsync{T}"/>, for a call of the app: refused once the replica is closing.</summary>
    public Task<T> OpenLockedAsync<T>(Func<T> work, CancellationToken cancellationToken) =>
        LockedAsync(
            () =>
            {
                ObjectDisposedException.ThrowIf(IsClosing, typeof(Replica));
                return work();
            },
            cancellationToken);

    /// <summary>
    /// Runs a read of the app on one of the file's readers: on the thread pool, without the lock (concurrent with writes,
    /// sync steps and other reads), in one read transaction that sees the last commit before it began.
    /// </summary>
    /// <remarks><paramref name="read"/> must finish its reading before it returns (no lazy sequence over the connection).</remarks>
    /// <exception cref="ObjectDisposedException">The replica is closing or closed.</exception>
    public Task<T> ReadAsync<T>(Func<ReplicaReader, T> read, CancellationToken cancellationToken)
    {
        if (IsClosing)
        {
            return Task.FromException<T>(new ObjectDisposedException(typeof(Replica).FullName));
        }

        return File.Readers.ReadAsync(
            reader =>
            {
                Reached(ReplicaTestPoint.ReadBegun);
                return read(reader);
            },
            cancellationToken);
    }

    /// <summary>Refuses calls from now on; the parts stop, then <see cref="DisposeAsync"/> releases the file.</summary>
    public void BeginClose() => IsClosing = true;

    /// <summary>Waits for the reads under way, takes the lock for good, fails the waiters, closes the file and the transport, and ends every watch.</summary>
    public async ValueTask DisposeAsync()
    {
        IsClosing = true;
        await File.Readers.CloseAsync().ConfigureAwait(false);
        await _lock.WaitAsync().ConfigureAwait(false);
        Waiters.FailAll();
        File.Dispose();
        (Transport as IDisposable)?.Dispose();
        Changes.Complete();
        _lock.Dispose();
    }

    public void OnSynced(SyncReport report) => Synced?.Invoke(report);

    public void OnSyncFailed(Exception error) => SyncFailed?.Invoke(error);

    public void WantSync() => SyncWanted?.Invoke();
}
