using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Converge.Client.Lifecycle;
using Converge.Client.Storage;
using Converge.Client.Sync;
using Converge.Client.Transport;
using Converge.Core;
using Converge.Core.Actions;
using Converge.Core.Clock;
using Converge.Core.Errors;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Schema;
using Converge.Core.State;

namespace Converge.Client;

/// <summary>
/// A local replica of one stream in one SQLite file. Every read and write works with no network; a write is
/// committed locally when its call returns, and syncs with the server when it can be reached.
/// </summary>
/// <remarks>Thread-safe: calls are serialized on the replica's file. Opening never waits for the network.</remarks>
public sealed partial class Replica : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<ActionState>> _waiters = new();
    private readonly List<Channel<ReplicaChange>> _changeChannels = [];
    private readonly ConcurrentQueue<ReplicaChange> _changes = new();
    private readonly SyncEngine _engine;
    private SyncLoop? _loop;
    private bool _disposed;

    private Replica(ReplicaOptions options, ReplicaDatabase database, HybridClock clock, ISyncTransport? transport)
    {
        Options = options;
        Database = database;
        Clock = clock;
        Transport = transport;
        ClientId = Guid.ParseExact(database.Get(ReplicaKeys.ClientId)!, "D");
        Stream = database.Get(ReplicaKeys.Stream)!;
        _engine = new SyncEngine(this);
    }

    /// <summary>Raised after local data changed, by a local write or a sync (on the thread that changed it).</summary>
    public event EventHandler<ReplicaChange>? Changed;

    /// <summary>Raised after every sync step that moved something, and after every sync run.</summary>
    public event EventHandler<SyncReport>? Synced;

    /// <summary>Raised when a sync attempt fails (the loop retries with back-off).</summary>
    public event EventHandler<Exception>? SyncFailed;

    /// <summary>This replica's client id, made when the file was created.</summary>
    public Guid ClientId { get; }

    /// <summary>The stream this replica holds.</summary>
    public string Stream { get; }

    /// <summary>The replica file.</summary>
    public string Path => Database.Path;

    internal ReplicaOptions Options { get; }

    internal ReplicaDatabase Database { get; }

    internal HybridClock Clock { get; }

    internal ISyncTransport? Transport { get; }

    internal SemaphoreSlim Gate => _gate;

    /// <summary>
    /// Opens (or creates) a replica file. Instant: it never touches the network. A new file needs
    /// <see cref="ReplicaOptions.Stream"/>; server and token may come later.
    /// </summary>
    /// <exception cref="ArgumentException">The options are incomplete, or name another stream than the file holds.</exception>
    /// <exception cref="CorruptReplicaException">The file is not a replica, is damaged, or a newer version wrote it; it was left as it is.</exception>
    /// <exception cref="ReplicaUnavailableException">The file cannot be opened now: another process held it locked past the busy timeout, or its folder is missing or read-only.</exception>
    public static Replica Open(ReplicaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var database = ReplicaDatabase.Open(options.Path, options.FullDurability);
        try
        {
            var stored = database.Get(ReplicaKeys.Stream);
            if (stored is null && string.IsNullOrWhiteSpace(options.Stream))
            {
                throw new ArgumentException($"'{options.Path}' is not a replica yet: set ReplicaOptions.Stream to create one.", nameof(options));
            }

            if (stored is not null && options.Stream is not null && stored != options.Stream)
            {
                throw new ArgumentException($"'{options.Path}' holds stream '{stored}', not '{options.Stream}'.", nameof(options));
            }

            using (var transaction = database.Write())
            {
                if (stored is null)
                {
                    database.Set(ReplicaKeys.Stream, options.Stream);
                    database.Set(ReplicaKeys.ClientId, options.NewId().ToString("D"));
                    database.Set(ReplicaKeys.Cursor, 0);
                    database.BindStream(options.Stream!);
                }

                if (options.Server is not null)
                {
                    database.Set(ReplicaKeys.Server, options.Server.ToString());
                }

                if (options.Token is not null)
                {
                    // Another token may be another principal: the one learned under the old token is not this
                    // replica's until an answer of the server (a pull's, a push's) says so again; a restore then
                    // re-pushes none of the old one's actions, and waits for the answer before it reloads.
                    if (database.Get(ReplicaKeys.Token) is { } before && before != options.Token)
                    {
                        database.Set(ReplicaKeys.Principal, null);
                    }

                    database.Set(ReplicaKeys.Token, options.Token);
                }

                transaction.Commit();
            }

            var clientId = Guid.ParseExact(database.Get(ReplicaKeys.ClientId)!, "D");
            var clock = new HybridClock(options.Time, NodeId.FromGuid(clientId), new HybridClockState(database.GetLong(ReplicaKeys.ClockLast), database.GetLong(ReplicaKeys.ClockOffset)));
            var transport = options.Transport ?? CreateHttpTransport(database, clientId, options.Time);
            return new Replica(options, database, clock, transport);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            database.Dispose();
            throw ReplicaFileErrors.Open(database.Path, e);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>Adds collections or fields to the stream's schema (additions only).</summary>
    public Task<LocalWrite> DefineSchemaAsync(StreamSchema schema, CancellationToken cancellationToken = default) =>
        WriteAsync(ActionDrafts.Schema(NewId, schema), cancellationToken);

    /// <summary>Creates a record from a JSON object of fields; the id defaults to a new UUIDv7.</summary>
    public Task<LocalWrite> CreateAsync(string collection, JsonElement fields, Guid? id = null, OnConflict onConflict = OnConflict.Merge, CancellationToken cancellationToken = default) =>
        WriteAsync(ActionDrafts.Create(NewId, collection, fields, id ?? NewId(), onConflict), cancellationToken);

    /// <summary>Sets the given fields of a record (a JSON object of the fields that changed; null clears one).</summary>
    public Task<LocalWrite> UpdateAsync(string collection, Guid id, JsonElement fields, CancellationToken cancellationToken = default) =>
        WriteAsync(ActionDrafts.Update(NewId, collection, id, fields), cancellationToken);

    /// <summary>Deletes a record; the tombstone is final.</summary>
    public Task<LocalWrite> DeleteAsync(string collection, Guid id, CancellationToken cancellationToken = default) =>
        WriteAsync(ActionDrafts.Delete(NewId, collection, id), cancellationToken);

    /// <summary>Adds an element to a set field.</summary>
    public Task<LocalWrite> AddAsync(string collection, Guid id, string field, JsonElement value, CancellationToken cancellationToken = default) =>
        WriteAsync(ActionDrafts.Add(NewId, collection, id, field, value), cancellationToken);

    /// <summary>Removes an element from a set field.</summary>
    public Task<LocalWrite> RemoveAsync(string collection, Guid id, string field, JsonElement value, CancellationToken cancellationToken = default) =>
        WriteAsync(ActionDrafts.Remove(NewId, collection, id, field, value), cancellationToken);

    /// <summary>Adds a delta to a counter field.</summary>
    public Task<LocalWrite> IncrementAsync(string collection, Guid id, string field, decimal delta, CancellationToken cancellationToken = default) =>
        WriteAsync(ActionDrafts.Increment(NewId, collection, id, field, delta), cancellationToken);

    /// <summary>
    /// Makes several writes in one local transaction: each is stamped, applied and queued in order, and gets its own
    /// result (a write the engine refuses is rejected alone; the others stand).
    /// </summary>
    /// <remarks>
    /// Typed writes join the batch through <see cref="WriteBatch.In{T}"/>; a typed update may make several actions (or
    /// none), so the results are one per action made, in order. A batch that throws writes none of its writes; the
    /// schema declarations its typed collections need are made (and committed) before it runs, and stay.
    /// </remarks>
    public async Task<IReadOnlyList<LocalWrite>> WriteBatchAsync(Action<WriteBatch> build, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(build);
        var batch = new WriteBatch(this);
        try
        {
            build(batch);
            foreach (var schema in batch.Schemas)
            {
                await schema(cancellationToken).ConfigureAwait(false);
            }

            return batch.Count == 0 ? [] : await WritePlansAsync(batch.Plans, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            batch.Undo();
            throw;
        }
    }

    /// <summary>A record as a JSON object <c>{"id": ..., field: value, ...}</c> (through aliases), or null when absent or deleted.</summary>
    public async Task<JsonElement?> GetAsync(string collection, Guid id, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = Database.ReadState();
            var record = state.GetRecord(MergeEngine.Resolve(state, collection, id));
            return record is null || record.IsDeleted ? null : CanonicalJson.Parse(RecordView.ToText(RecordSets.Materialize(state, record)));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Every live record of a collection, ordered by id.</summary>
    public async Task<IReadOnlyList<JsonElement>> QueryAsync(string collection, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return [.. Database.ReadState().ReadRecords(collection).Where(r => !r.IsDeleted).Select(r => CanonicalJson.Parse(RecordView.ToText(r)))];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The stream's schema as this replica knows it (pending additions included).</summary>
    public async Task<StreamSchema> GetSchemaAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Database.ReadState().GetSchema();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The canonical export of what this replica shows: byte-identical on converged replicas and on the server.</summary>
    public async Task<string> ExportAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return CanonicalExport.ToText(Database.ReadState());
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Where the replica stands: cursor, pending, last sync.</summary>
    public async Task<ReplicaStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var db = Database;
            return new ReplicaStatus(
                Stream,
                ClientId,
                db.Get(ReplicaKeys.Principal),
                db.GetLong(ReplicaKeys.Cursor),
                db.CountPending(),
                db.CountRejections(),
                db.CountConflicts(),
                db.Get(ReplicaKeys.LastSyncAt) is { } at ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture) : null,
                db.Get(ReplicaKeys.LastSyncKind),
                db.Get(ReplicaKeys.LastSyncError));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The conflict inbox: this replica's writes that lost, with their values and the winners.</summary>
    public Task<IReadOnlyList<ConflictEntry>> GetConflictsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<ConflictEntry>>(db => db.LoadConflicts(), cancellationToken);

    /// <summary>Empties the conflict inbox (after the app showed it).</summary>
    public Task ClearConflictsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(db =>
        {
            using var transaction = db.Write();
            db.ClearConflicts();
            transaction.Commit();
            return true;
        }, cancellationToken);

    /// <summary>This replica's rejected actions, with their reasons.</summary>
    public Task<IReadOnlyList<RejectedAction>> GetRejectionsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<RejectedAction>>(db => db.LoadRejections(), cancellationToken);

    /// <summary>Takes the rejections out of the list (after the app showed them); the actions still read as rejected. Returns how many were cleared.</summary>
    public Task<int> ClearRejectionsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(db =>
        {
            using var transaction = db.Write();
            var cleared = db.ClearRejections();
            transaction.Commit();
            return cleared;
        }, cancellationToken);

    /// <summary>The local log: actions pulled from the server, in index order, after <paramref name="after"/>.</summary>
    public Task<IReadOnlyList<LoggedAction>> GetLogAsync(long after = 0, int limit = 1000, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<LoggedAction>>(db => db.LoadLog(after, limit), cancellationToken);

    /// <summary>This replica's actions not yet confirmed, in the order written.</summary>
    public Task<IReadOnlyList<ActionState>> GetPendingAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<ActionState>>(db => [.. db.LoadPending(withJournals: false).Select(p => new ActionState(p.Action.Id, p.Status, p.AckedIndex))], cancellationToken);

    /// <summary>Where one action written here is in its life.</summary>
    public Task<ActionState> GetActionStateAsync(Guid actionId, CancellationToken cancellationToken = default) =>
        ReadAsync(db => db.FindState(actionId), cancellationToken);

    /// <summary>Waits until an action written here is confirmed or rejected (a sync must run meanwhile).</summary>
    /// <exception cref="OperationCanceledException">Cancelled before its fate was known.</exception>
    public async Task<ActionState> WaitForConfirmationAsync(Guid actionId, CancellationToken cancellationToken = default)
    {
        var waiter = _waiters.GetOrAdd(actionId, _ => new TaskCompletionSource<ActionState>(TaskCreationOptions.RunContinuationsAsynchronously));
        var state = await GetActionStateAsync(actionId, cancellationToken).ConfigureAwait(false);
        if (state.IsFinal || state.Status == ActionStatus.Unknown)
        {
            _waiters.TryRemove(actionId, out _);
            return state;
        }

        return await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every change to this replica's data, until cancelled.</summary>
    public async IAsyncEnumerable<ReplicaChange> WatchChangesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<ReplicaChange>(new UnboundedChannelOptions { SingleReader = true });
        lock (_changeChannels)
        {
            _changeChannels.Add(channel);
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
            lock (_changeChannels)
            {
                _changeChannels.Remove(channel);
            }
        }
    }

    /// <summary>Runs one sync step (SPEC section 4): pull a batch; when nothing came, push a batch; apply, in one local transaction.</summary>
    /// <exception cref="TransportException">The exchange failed (<see cref="ServerUnreachableException"/>, <see cref="ServerRefusedException"/>, <see cref="ServerProtocolException"/>, <see cref="SnapshotMismatchException"/>); nothing changed locally.</exception>
    public Task<SyncReport> SyncStepAsync(IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default) =>
        _engine.StepAsync(progress, cancellationToken);

    /// <summary>Syncs until there is nothing left to pull or push; one report for the whole run.</summary>
    /// <exception cref="TransportException">An exchange failed; the steps done so far are kept.</exception>
    public Task<SyncReport> SyncAsync(IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default) =>
        _engine.RunAsync(progress, cancellationToken);

    /// <summary>Starts the background sync loop: again at once while actions move, back-off after failures, idle otherwise.</summary>
    public void StartSync(IProgress<SyncProgress>? progress = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _loop ??= new SyncLoop(this, progress);
        _loop.Start();
    }

    /// <summary>Stops the background sync loop and waits for the step under way.</summary>
    public async Task StopSyncAsync()
    {
        if (_loop is { } loop)
        {
            await loop.StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Checks the file with SQLite's <c>PRAGMA integrity_check</c>; "ok" when sound.</summary>
    public Task<string> CheckIntegrityAsync(CancellationToken cancellationToken = default) => ReadAsync(db => db.IntegrityCheck(), cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await StopSyncAsync().ConfigureAwait(false);
        await _engine.QuiesceAsync().ConfigureAwait(false);
        await _gate.WaitAsync().ConfigureAwait(false);
        foreach (var waiter in _waiters.Values)
        {
            waiter.TrySetException(new ObjectDisposedException(nameof(Replica), "The replica was closed before the action's fate was known."));
        }

        Database.Dispose();
        (Transport as IDisposable)?.Dispose();
        _engine.Dispose();
        _loop?.Dispose();
        lock (_changeChannels)
        {
            _changeChannels.ForEach(c => c.Writer.TryComplete());
        }

        _gate.Dispose();
    }

    /// <summary>A new id from <see cref="ReplicaOptions.NewId"/>.</summary>
    internal Guid NewId() => Options.NewId();

    /// <summary>A named point inside a step, where a test may inject a crash.</summary>
    internal void Fault(string point) => Options.FaultInjector?.Invoke(point);

    internal ApplyContext Context => new(Database.Get(ReplicaKeys.Principal));

    /// <summary>The context of a write made here now: the rules for new actions apply (a replay of the log does not need them).</summary>
    internal ApplyContext NewWriteContext => Context with { IsNew = true };

    internal void SaveClock() => Database.Set(ReplicaKeys.ClockLast, Clock.Save().LastNanoseconds);

    /// <summary>Queues a change notification; it is raised by <see cref="FlushChanges"/>, once the replica's lock is released.</summary>
    internal void OnChanged(ReplicaChange change)
    {
        if (change.Records.Count > 0 || change.Reloaded)
        {
            _changes.Enqueue(change);
        }
    }

    /// <summary>Raises the queued change notifications. Call with the replica's lock released, so handlers may read it.</summary>
    internal void FlushChanges()
    {
        while (_changes.TryDequeue(out var change))
        {
            Changed?.Invoke(this, change);
            lock (_changeChannels)
            {
                _changeChannels.ForEach(c => c.Writer.TryWrite(change));
            }
        }
    }

    internal void OnSynced(SyncReport report) => Synced?.Invoke(this, report);

    internal void OnSyncFailed(Exception error) => SyncFailed?.Invoke(this, error);

    /// <summary>Completes the waiters of actions whose fate is now known.</summary>
    internal void Resolve(IEnumerable<ActionState> states)
    {
        foreach (var state in states)
        {
            if (_waiters.TryRemove(state.ActionId, out var waiter))
            {
                waiter.TrySetResult(state);
            }
        }
    }

    internal void WakeSync() => _loop?.Wake();

    /// <summary>True when the last sync step left nothing that another step at once would find.</summary>
    internal bool SyncSettled => _engine.Settled;

    /// <summary>The cursor: the highest log index applied here.</summary>
    internal Task<long> GetCursorAsync(CancellationToken cancellationToken) => ReadAsync(db => db.GetLong(ReplicaKeys.Cursor), cancellationToken);

    private async Task<T> ReadAsync<T>(Func<ReplicaDatabase, T> read, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return read(Database);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static HttpSyncTransport? CreateHttpTransport(ReplicaDatabase database, Guid clientId, TimeProvider time)
    {
        if (database.Get(ReplicaKeys.Server) is not { } server || database.Get(ReplicaKeys.Token) is not { } token)
        {
            return null;
        }

        return new HttpSyncTransport(new HttpSyncTransportOptions
        {
            Server = new Uri(server.EndsWith('/') ? server : server + "/"),
            Stream = database.Get(ReplicaKeys.Stream)!,
            Token = token,
            ClientId = clientId,
            Time = time,
        });
    }
}
