using Converge.Client.Lifecycle;
using Converge.Core.Actions;
using Converge.Sqlite;
using Microsoft.Data.Sqlite;

namespace Converge.Client.Storage;

/// <summary>
/// The replica's SQLite file: one writing connection, its transactions, the merge state of its stream and one small type per
/// table, all over one <see cref="ReplicaStatements"/>. Callers serialize access and wrap each step in <see cref="Write"/>.
/// Reads run on <see cref="Readers"/> instead, read-only connections of their own.
/// </summary>
/// <remarks>
/// The settings are cached in memory. Another opener of the file (an app and <c>converge sync</c>) may change them:
/// every transaction, and every read outside one, first asks SQLite's <c>data_version</c>, and forgets the cache (and
/// the record state's schema) when another connection committed.
/// </remarks>
internal sealed class ReplicaFile : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly ReplicaStatements _sql;
    private readonly bool _fullSync;
    private long _seenVersion = -1;
    private bool _leftInRollbackJournal;
    private bool _inWrite;

    private ReplicaFile(SqliteConnection connection, string path, bool fullSync)
    {
        _fullSync = fullSync;
        _connection = connection;
        _sql = new ReplicaStatements(connection);
        Path = path;
        Meta = new MetaTable(_sql, RefreshOutsideWrite);
        Pending = new PendingTable(_sql);
        Confirmed = new ConfirmedTable(_sql);
        Rejections = new RejectionTable(_sql);
        Conflicts = new ConflictTable(_sql);
        Log = new LogTable(_sql);
        Readers = new ReplicaReaders(path, ReplicaReaders.DefaultSize);
    }

    public string Path { get; }

    /// <summary>The connection, for queries over the collections' tables (run under the replica's lock, outside a write).</summary>
    public SqliteConnection Connection => _connection;

    /// <summary>The merge state (the records); null until the stream is known (<see cref="BindStream"/>).</summary>
    public SqliteRecordState? State { get; private set; }

    public MetaTable Meta { get; }

    public PendingTable Pending { get; }

    public ConfirmedTable Confirmed { get; }

    public RejectionTable Rejections { get; }

    public ConflictTable Conflicts { get; }

    public LogTable Log { get; }

    /// <summary>The read-only connections reads run on, off the writer's lock.</summary>
    public ReplicaReaders Readers { get; }

    /// <summary>The resource prefix of the replica's own migrations.</summary>
    internal const string MigrationPrefix = "Converge.Client.Sql.";

    /// <summary>Opens (or creates) a replica file.</summary>
    /// <exception cref="Core.Errors.CorruptReplicaException">The file is not a replica, is damaged, or a newer version wrote it.</exception>
    /// <exception cref="Core.Errors.ReplicaUnavailableException">The file cannot be opened now (locked, no such folder, read-only).</exception>
    public static ReplicaFile Open(string path, bool fullSync)
    {
        var full = System.IO.Path.GetFullPath(path);
        SqliteConnection connection;
        try
        {
            connection = SqliteText.Open(full, fullSync);
        }
        catch (SqliteException e)
        {
            throw ReplicaFileErrors.Open(full, e);
        }

        try
        {
            ReplicaFileErrors.RequireKnownVersion(connection, full);
            SqliteMigrations.ApplyRecordState(connection);
            SqliteMigrations.Apply(connection, typeof(ReplicaFile).Assembly, MigrationPrefix);
            var file = new ReplicaFile(connection, full, fullSync);
            if (file.Meta.Get(ReplicaKeys.Stream) is { } stream)
            {
                file.BindStream(stream);
            }

            return file;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw ReplicaFileErrors.Open(full, e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void BindStream(string stream)
    {
        State?.Dispose();
        State = new SqliteRecordState(_connection, stream);
    }

    /// <summary>Starts a write transaction; dispose without <see cref="WriteTransaction.Commit"/> to roll back.</summary>
    public WriteTransaction Write()
    {
        _sql["BEGIN IMMEDIATE"].Run();
        _inWrite = true;
        try
        {
            Refresh();
        }
        catch
        {
            Rollback();
            throw;
        }

        return new WriteTransaction(this);
    }

    /// <summary>
    /// Switches the file to a rollback journal until the result is disposed, for one large transaction (a snapshot
    /// load): SQLite journals only the pages that existed before it, so a load into an empty replica writes each page
    /// once instead of twice (to the WAL, then again at the checkpoint). Call it outside a transaction.
    /// </summary>
    /// <remarks>
    /// Crash safety is SQLite's rollback journal (an interrupted load is rolled back at the next open), with
    /// <c>synchronous=EXTRA</c> meanwhile; the file is back in WAL mode when the result is disposed. When another
    /// connection has the file open, the switch is refused at once (not after the busy timeout) and the load runs in
    /// WAL mode as any transaction.
    /// </remarks>
    public IDisposable BulkLoad()
    {
        // Leaving WAL needs every other connection gone, this replica's own readers too: they wait for the load (a
        // rollback-journal reader would hold up its commit), then reopen. One of another opener will not close within a
        // busy timeout.
        var readers = Readers.Exclusive();
        _sql.RunOnce("PRAGMA busy_timeout=0");
        try
        {
            if (!TrySetJournalMode("delete"))
            {
                readers.Dispose();
                return new BulkLoadScope(this, switched: false, readers: null);
            }
        }
        catch
        {
            readers.Dispose();
            throw;
        }
        finally
        {
            _sql.RunOnce($"PRAGMA busy_timeout={SqliteText.BusyTimeoutMilliseconds}");
        }

        // EXTRA: the journal's deletion (the commit, in this mode) is synced to the directory too, so a power loss right
        // after the load returns cannot roll it back.
        _sql.RunOnce("PRAGMA synchronous=EXTRA");
        return new BulkLoadScope(this, switched: true, readers);
    }

    /// <summary>The merge state for a read: outside a write transaction, what another opener of the file committed since the last look is seen.</summary>
    public SqliteRecordState ReadState()
    {
        RefreshOutsideWrite();
        return State ?? throw new InvalidOperationException("The replica has no stream bound.");
    }

    /// <summary>Where one action of this replica is in its life: confirmed, rejected, queued, or unknown here.</summary>
    public ActionState FindState(Guid actionId) =>
        Confirmed.Find(actionId) is { } index ? new ActionState(actionId, ActionStatus.Confirmed, index)
        : Rejections.Find(actionId) ?? Pending.Find(actionId) ?? new ActionState(actionId, ActionStatus.Unknown);

    /// <summary>
    /// Confirms a queued action at its log index: out of the queue, into the confirmed, and its stamp remembered as one
    /// a log holds (no re-stamp may go below it).
    /// </summary>
    public ActionState Confirm(ConvergeAction action, long index, DateTimeOffset now)
    {
        Pending.Remove(action.Id);
        Confirmed.Insert(action.Id, index, now);
        Meta.Raise(ReplicaKeys.MaxOwnLogged, action.Hlc.Nanoseconds);
        return new ActionState(action.Id, ActionStatus.Confirmed, index);
    }

    /// <summary>Forgets the stream's merge state and local log (before loading a snapshot).</summary>
    public void ClearStreamState()
    {
        State!.Clear();
        Log.Clear();
    }

    /// <summary>Runs the next commit with <c>synchronous=FULL</c>, so it survives a power loss even in NORMAL mode.</summary>
    public void SyncNextCommit(bool full) => _sql.RunOnce(full && !_leftInRollbackJournal ? "PRAGMA synchronous=FULL" : $"PRAGMA synchronous={RestingSync}");

    public string IntegrityCheck() => _sql.ScalarOnce("PRAGMA integrity_check")!;

    public void Dispose()
    {
        Readers.Dispose();
        State?.Dispose();
        _sql.Dispose();
        _connection.Dispose();
    }

    /// <summary>Commits the transaction <see cref="Write"/> began.</summary>
    internal void Commit()
    {
        try
        {
            _sql["COMMIT"].Run();
        }
        catch
        {
            Forget();
            throw;
        }

        _inWrite = false;
    }

    /// <summary>Rolls back the transaction <see cref="Write"/> began; what was cached from it is forgotten.</summary>
    internal void Rollback()
    {
        Forget();
        _inWrite = false;
        _sql["ROLLBACK"].Run();
    }

    private void EndBulkLoad()
    {
        // Needs the file to itself for a moment (busy_timeout applies); if another opener still reads it, the file stays
        // in rollback mode (correct, only without concurrent readers) until the next open, which sets WAL again.
        // NORMAL is safe with the WAL only: in rollback mode it could corrupt the file on a power loss, so it keeps EXTRA.
        _leftInRollbackJournal = !TrySetJournalMode("wal");
        _sql.RunOnce($"PRAGMA synchronous={RestingSync}");
    }

    /// <summary>The synchronous level between commits that ask for more: NORMAL is safe with the WAL only.</summary>
    private string RestingSync => _leftInRollbackJournal ? "EXTRA" : _fullSync ? "FULL" : "NORMAL";

    /// <summary>Changes the journal mode; false when SQLite kept the old one or another connection held the file.</summary>
    /// <remarks>On the native handle: Microsoft.Data.Sqlite would retry a busy statement for its command timeout (30 s).</remarks>
    private bool TrySetJournalMode(string mode)
    {
        try
        {
            return string.Equals(_sql.ScalarOnce($"PRAGMA journal_mode={mode}"), mode, StringComparison.OrdinalIgnoreCase);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED)
        {
            return false;
        }
    }

    private void RefreshOutsideWrite()
    {
        if (!_inWrite)
        {
            Refresh();
        }
    }

    /// <summary>Forgets the cached settings and schema when another connection committed since the last look.</summary>
    private void Refresh()
    {
        var version = _sql["PRAGMA data_version"].ScalarLong() ?? 0;
        if (version != _seenVersion)
        {
            Forget();
            _seenVersion = version;
        }
    }

    private void Forget()
    {
        Meta.Forget();
        _seenVersion = -1;
        State?.Invalidate();
    }

    private sealed class BulkLoadScope(ReplicaFile file, bool switched, IDisposable? readers) : IDisposable
    {
        private bool _done = !switched;

        public void Dispose()
        {
            if (!_done)
            {
                _done = true;
                try
                {
                    file.EndBulkLoad();
                }
                finally
                {
                    readers?.Dispose();
                }
            }
        }
    }
}
