using System.Globalization;
using System.Text.Json;
using Converge.Client.Kernel;
using Converge.Client.Lifecycle;
using Converge.Client.Storage;
using Converge.Client.Sync;
using Converge.Client.Transport;
using Converge.Core.Actions;
using Converge.Core.Clock;
using Converge.Core.Errors;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Schema;
using Converge.Core.State;
using Converge.Core;

namespace Converge.Client;

/// <summary>
/// A local replica of one stream in one SQLite file. Every read and write works with no network; a write is
/// committed locally when its call returns, and syncs with the server when it can be reached.
/// </summary>
/// <remarks>
/// Thread-safe: writes and sync steps are serialized on the replica's file; reads run on read-only connections of their
/// own, off the caller's thread, concurrent with them and with each other. Opening never waits for the network.
/// </remarks>
public sealed partial class Replica : IAsyncDisposable
{
    private readonly ReplicaKernel _kernel;
    private readonly LocalWriter _writer;
    private readonly SyncEngine _engine;
    private SyncLoop? _loop;

    private Replica(ReplicaKernel kernel)
    {
        _kernel = kernel;
        _writer = new LocalWriter(kernel);
        _engine = new SyncEngine(kernel);
        kernel.Changes.Raised += change => Changed?.Invoke(this, change);
        kernel.Synced += report => Synced?.Invoke(this, report);
        kernel.SyncFailed += error => SyncFailed?.Invoke(this, error);
    }

    /// <summary>Raised after local data changed, by a local write or a sync (on the thread that changed it).</summary>
    public event EventHandler<ReplicaChange>? Changed;

    /// <summary>Raised after every sync step that moved something, and after every sync run.</summary>
    public event EventHandler<SyncReport>? Synced;

    /// <summary>Raised when a sync attempt fails (the loop retries with back-off).</summary>
    public event EventHandler<Exception>? SyncFailed;

    /// <summary>This replica's client id, made when the file was created.</summary>
    public Guid ClientId => _kernel.ClientId;

    /// <summary>The stream this replica holds.</summary>
    public string Stream => _kernel.Stream;

    /// <summary>The replica file.</summary>
    public string Path => _kernel.File.Path;

    /// <summary>The replica's clock (tests read its last stamp).</summary>
    internal HybridClock Clock => _kernel.Clock;

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
        return new Replica(ReplicaKernel.Open(options));
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
    public Task<JsonElement?> GetAsync(string collection, Guid id, CancellationToken cancellationToken = default) =>
        ReadFileAsync<JsonElement?>(
            file =>
            {
                var state = file.ReadState();
                var record = state.GetRecord(MergeEngine.Resolve(state, collection, id));
                return record is null || record.IsDeleted ? null : CanonicalJson.Parse(RecordView.ToText(RecordSets.Materialize(state, record)));
            },
            cancellationToken);

    /// <summary>Every live record of a collection, ordered by id.</summary>
    public Task<IReadOnlyList<JsonElement>> QueryAsync(string collection, CancellationToken cancellationToken = default) =>
        ReadFileAsync<IReadOnlyList<JsonElement>>(file => [.. file.ReadState().ReadRecords(collection).Where(r => !r.IsDeleted).Select(r => CanonicalJson.Parse(RecordView.ToText(r)))], cancellationToken);

    /// <summary>The stream's schema as this replica knows it (pending additions included).</summary>
    public Task<StreamSchema> GetSchemaAsync(CancellationToken cancellationToken = default) =>
        ReadFileAsync(file => file.ReadState().GetSchema(), cancellationToken);

    /// <summary>The canonical export of what this replica shows: byte-identical on converged replicas and on the server.</summary>
    public Task<string> ExportAsync(CancellationToken cancellationToken = default) =>
        ReadFileAsync(file => CanonicalExport.ToText(file.ReadState()), cancellationToken);

    /// <summary>Where the replica stands: cursor, pending, last sync.</summary>
    public Task<ReplicaStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        ReadFileAsync(
            file => new ReplicaStatus(
                Stream,
                ClientId,
                file.Meta.Get(ReplicaKeys.Principal),
                file.Meta.GetLong(ReplicaKeys.Cursor),
                file.Pending.Count(),
                file.Rejections.Count(),
                file.Conflicts.Count(),
                file.Meta.Get(ReplicaKeys.LastSyncAt) is { } at ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture) : null,
                file.Meta.Get(ReplicaKeys.LastSyncKind),
                file.Meta.Get(ReplicaKeys.LastSyncError)),
            cancellationToken);

    /// <summary>The conflict inbox: this replica's writes that lost, with their values and the winners.</summary>
    public Task<IReadOnlyList<ConflictEntry>> GetConflictsAsync(CancellationToken cancellationToken = default) =>
        ReadFileAsync<IReadOnlyList<ConflictEntry>>(file => file.Conflicts.Load(), cancellationToken);

    /// <summary>Empties the conflict inbox (after the app showed it).</summary>
    public Task ClearConflictsAsync(CancellationToken cancellationToken = default) =>
        WriteFileAsync(
            file =>
            {
                using var transaction = file.Write();
                file.Conflicts.DismissAll();
                transaction.Commit();
                return true;
            },
            cancellationToken);

    /// <summary>This replica's rejected actions, with their reasons.</summary>
    public Task<IReadOnlyList<RejectedAction>> GetRejectionsAsync(CancellationToken cancellationToken = default) =>
        ReadFileAsync<IReadOnlyList<RejectedAction>>(file => file.Rejections.Load(), cancellationToken);

    /// <summary>Takes the rejections out of the list (after the app showed them); the actions still read as rejected. Returns how many were cleared.</summary>
    public Task<int> ClearRejectionsAsync(CancellationToken cancellationToken = default) =>
        WriteFileAsync(
            file =>
            {
                using var transaction = file.Write();
                var cleared = file.Rejections.DismissAll();
                transaction.Commit();
                return cleared;
            },
            cancellationToken);

    /// <summary>The local log: actions pulled from the server, in index order, after <paramref name="after"/>.</summary>
    public Task<IReadOnlyList<LoggedAction>> GetLogAsync(long after = 0, int limit = 1000, CancellationToken cancellationToken = default) =>
        ReadFileAsync<IReadOnlyList<LoggedAction>>(file => file.Log.Load(after, limit), cancellationToken);

    /// <summary>This replica's actions not yet confirmed, in the order written.</summary>
    public Task<IReadOnlyList<ActionState>> GetPendingAsync(CancellationToken cancellationToken = default) =>
        ReadFileAsync<IReadOnlyList<ActionState>>(file => [.. file.Pending.Load(withJournals: false).Select(p => new ActionState(p.Action.Id, p.Status, p.AckedIndex))], cancellationToken);

    /// <summary>Where one action written here is in its life.</summary>
    public Task<ActionState> GetActionStateAsync(Guid actionId, CancellationToken cancellationToken = default) =>
        ReadFileAsync(file => file.FindState(actionId), cancellationToken);

    /// <summary>Waits until an action written here is confirmed or rejected (a sync must run meanwhile).</summary>
    /// <exception cref="OperationCanceledException">Cancelled before its fate was known.</exception>
    public Task<ActionState> WaitForConfirmationAsync(Guid actionId, CancellationToken cancellationToken = default) =>
        _kernel.Waiters.WaitAsync(actionId, ct => GetActionStateAsync(actionId, ct), cancellationToken);

    /// <summary>Every change to this replica's data, until cancelled.</summary>
    public IAsyncEnumerable<ReplicaChange> WatchChangesAsync(CancellationToken cancellationToken = default) => _kernel.Changes.WatchAsync(cancellationToken);

    /// <summary>Runs one sync step: pull a batch; when nothing came, push a batch; apply, in one local transaction.</summary>
    /// <exception cref="TransportException">The exchange failed (<see cref="ServerUnreachableException"/>, <see cref="ServerRefusedException"/>, <see cref="ServerProtocolException"/>, <see cref="SnapshotMismatchException"/>); nothing changed locally.</exception>
    public async Task<SyncReport> SyncStepAsync(IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default) =>
        (await _engine.StepAsync(progress, cancellationToken).ConfigureAwait(false)).Report;

    /// <summary>Syncs until there is nothing left to pull or push; one report for the whole run.</summary>
    /// <exception cref="TransportException">An exchange failed; the steps done so far are kept.</exception>
    public Task<SyncReport> SyncAsync(IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default) =>
        _engine.RunAsync(progress, cancellationToken);

    /// <summary>Starts the background sync loop: again at once while actions move, back-off after failures, idle otherwise.</summary>
    public void StartSync(IProgress<SyncProgress>? progress = null)
    {
        ObjectDisposedException.ThrowIf(_kernel.IsClosing, this);
        _loop ??= new SyncLoop(_kernel, _engine, progress);
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
    public Task<string> CheckIntegrityAsync(CancellationToken cancellationToken = default) => ReadFileAsync(file => file.IntegrityCheck(), cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_kernel.IsClosing)
        {
            return;
        }

        _kernel.BeginClose();
        await StopSyncAsync().ConfigureAwait(false);
        await _engine.QuiesceAsync().ConfigureAwait(false);
        await _kernel.DisposeAsync().ConfigureAwait(false);
        _engine.Dispose();
        _loop?.Dispose();
    }

    /// <summary>A new id from <see cref="ReplicaOptions.NewId"/>.</summary>
    internal Guid NewId() => _kernel.NewId();

    /// <summary>Queued rows read so far, and how many with their undo journal (tests bound a step's cost by it).</summary>
    internal (long Rows, long Journals) PendingLoaded => _kernel.File.Pending.Loaded;

    /// <summary>Runs write plans in one transaction (see <see cref="LocalWriter"/>).</summary>
    internal Task<IReadOnlyList<LocalWrite>> WritePlansAsync(IReadOnlyList<WritePlan> plans, CancellationToken cancellationToken) =>
        _writer.WriteAsync(plans, cancellationToken);

    private async Task<LocalWrite> WriteAsync(Func<HybridTimestamp, ConvergeAction> make, CancellationToken cancellationToken) =>
        (await _writer.WriteAsync([_ => [make]], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>
    /// Runs a read that runs its own SQL on one of the replica's read-only connections: off the caller's thread, without
    /// the write lock, inside one read transaction (see <see cref="ReplicaKernel.ReadAsync{T}"/>). The query layer's entry point.
    /// </summary>
    internal Task<T> ReadAsync<T>(Func<Microsoft.Data.Sqlite.SqliteConnection, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        return _kernel.ReadAsync(reader => read(reader.Connection), cancellationToken);
    }

    private Task<T> ReadFileAsync<T>(Func<ReplicaReader, T> read, CancellationToken cancellationToken) => _kernel.ReadAsync(read, cancellationToken);

    private Task<T> WriteFileAsync<T>(Func<ReplicaFile, T> write, CancellationToken cancellationToken) =>
        _kernel.OpenLockedAsync(() => write(_kernel.File), cancellationToken);
}
