using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Converge.Client.Lifecycle;
using Converge.Core.Actions;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Protocol;
using Converge.Core.Serialization;
using Converge.Core.State;
using Converge.Sqlite;
using Microsoft.Data.Sqlite;

namespace Converge.Client.Storage;

/// <summary>
/// The replica's SQLite file: the merge state of its stream, its settings, the pending queue and the lifecycle
/// tables. One connection; callers serialize access and wrap each step in <see cref="Write"/>.
/// </summary>
/// <remarks>
/// The settings (<c>cv_replica</c>) are cached in memory. Another opener of the file (an app and
/// <c>converge sync</c>) may change them: every transaction, and every read outside one, first asks SQLite's
/// <c>data_version</c>, and forgets the cache (and the record state's schema) when another connection committed.
/// </remarks>
internal sealed class ReplicaDatabase : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteStatements _sql;
    private readonly bool _fullSync;
    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;
    private readonly RawStatement _begin;
    private readonly RawStatement _commit;
    private readonly RawStatement _rollback;
    private readonly RawStatement _dataVersion;
    private readonly RawStatement _get;
    private readonly RawStatement _upsert;
    private readonly RawStatement _insertPending;
    private readonly RawStatement _insertLog;
    private long _seenVersion = -1;
    private bool _leftInRollbackJournal;
    private bool _inWrite;

    private ReplicaDatabase(SqliteConnection connection, string path, bool fullSync)
    {
        _fullSync = fullSync;
        _connection = connection;
        _sql = new SqliteStatements(connection);
        _writer = new Utf8JsonWriter(_buffer, CanonicalJson.WriterOptions);
        _begin = new RawStatement(connection, "BEGIN IMMEDIATE");
        _commit = new RawStatement(connection, "COMMIT");
        _rollback = new RawStatement(connection, "ROLLBACK");
        _dataVersion = new RawStatement(connection, "PRAGMA data_version");
        _get = new RawStatement(connection, "SELECT value FROM cv_replica WHERE key = ?1");
        _upsert = new RawStatement(connection, "INSERT INTO cv_replica (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        _insertPending = new RawStatement(connection, "INSERT INTO cv_pending (action_id, collection, record, kind, body, status, journal, written_at) VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?7)");
        _insertLog = new RawStatement(connection, "INSERT INTO cv_log (idx, action_id, client_id, principal, body) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (idx) DO NOTHING");
        Path = path;
    }

    public string Path { get; }

    /// <summary>The merge state; null until the stream is known (<see cref="BindStream"/>).</summary>
    public SqliteRecordState? State { get; private set; }

    /// <summary>The resource prefix of the replica's own migrations.</summary>
    internal const string MigrationPrefix = "Converge.Client.Sql.";

    /// <summary>Opens (or creates) a replica file.</summary>
    /// <exception cref="Core.Errors.CorruptReplicaException">The file is not a replica, is damaged, or a newer version wrote it.</exception>
    /// <exception cref="Core.Errors.ReplicaUnavailableException">The file cannot be opened now (locked, no such folder, read-only).</exception>
    public static ReplicaDatabase Open(string path, bool fullSync)
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
            SqliteMigrations.Apply(connection, typeof(ReplicaDatabase).Assembly, MigrationPrefix);
            var database = new ReplicaDatabase(connection, full, fullSync);
            if (database.Get(ReplicaKeys.Stream) is { } stream)
            {
                database.BindStream(stream);
            }

            return database;
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
        _begin.Run();
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
        // Leaving WAL needs every other connection gone; one that is open will not close within a busy timeout.
        SqliteText.Execute(_connection, "PRAGMA busy_timeout=0");
        try
        {
            if (!TrySetJournalMode("delete"))
            {
                return new BulkLoadScope(this, switched: false);
            }
        }
        finally
        {
            SqliteText.Execute(_connection, $"PRAGMA busy_timeout={SqliteText.BusyTimeoutMilliseconds}");
        }

        // EXTRA: the journal's deletion (the commit, in this mode) is synced to the directory too, so a power loss right
        // after the load returns cannot roll it back.
        SqliteText.Execute(_connection, "PRAGMA synchronous=EXTRA");
        return new BulkLoadScope(this, switched: true);
    }

    /// <summary>The merge state for a read: outside a write transaction, what another opener of the file committed since the last look is seen.</summary>
    public SqliteRecordState ReadState()
    {
        if (!_inWrite)
        {
            Refresh();
        }

        return State ?? throw new InvalidOperationException("The replica has no stream bound.");
    }

    public string? Get(string key)
    {
        if (!_inWrite)
        {
            Refresh();
        }

        if (_settings.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var value = _get.Bind(1, key).ScalarText();
        _settings[key] = value;
        return value;
    }

    public long GetLong(string key) => Get(key) is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : 0;

    public void Set(string key, string? value)
    {
        _settings.Remove(key);
        if (value is null)
        {
            var delete = _sql.Get("DELETE FROM cv_replica WHERE key = $k", "$k");
            delete.Parameters[0].Value = key;
            delete.ExecuteNonQuery();
        }
        else
        {
            _upsert.Bind(1, key).Bind(2, value).Run();
        }

        _settings[key] = value;
    }

    public void Set(string key, long value) => Set(key, value.ToString(CultureInfo.InvariantCulture));

    public void InsertPending(ConvergeAction action, UndoJournal journal, DateTimeOffset now)
    {
        var insert = _insertPending.Bind(1, action.Id).Bind(4, ActionKinds.Name(action.Kind)).BindBlob(5, Body(action)).BindBlob(6, JournalJson.Serialize(journal)).BindText(7, Time(now, stackalloc byte[40]));
        if (action is RecordAction record)
        {
            insert.Bind(2, record.Collection).Bind(3, record.Record);
        }

        insert.Run();
    }

    /// <summary>The pending queue in the order written; <paramref name="limit"/> bounds it (for a push batch).</summary>
    public List<PendingAction> LoadPending(int limit = int.MaxValue, bool withJournals = true)
    {
        var command = _sql.Get("SELECT seq, body, status, acked_index, journal FROM cv_pending ORDER BY seq LIMIT $l", "$l");
        command.Parameters[0].Value = limit;
        using var reader = command.ExecuteReader();
        var pending = new List<PendingAction>();
        while (reader.Read())
        {
            pending.Add(new PendingAction(
                reader.GetInt64(0),
                ActionBody.Deserialize((byte[])reader[1]),
                reader.GetString(2) == "sent" ? ActionStatus.Sent : ActionStatus.Pending,
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                withJournals ? JournalJson.Deserialize((byte[])reader[4]) : UndoJournal.Empty));
        }

        return pending;
    }

    public long CountPending() => (long)_sql.Get("SELECT COUNT(*) FROM cv_pending").ExecuteScalar()!;

    public int CountRejections() => (int)(long)_sql.Get("SELECT COUNT(*) FROM cv_rejections WHERE dismissed = 0").ExecuteScalar()!;

    public int CountConflicts() => (int)(long)_sql.Get("SELECT COUNT(*) FROM cv_conflicts WHERE dismissed = 0").ExecuteScalar()!;

    public void SetJournal(long seq, UndoJournal journal)
    {
        var update = _sql.Get("UPDATE cv_pending SET journal = $j WHERE seq = $s", "$s", "$j");
        update.Parameters[0].Value = seq;
        update.Parameters[1].Value = JournalJson.Serialize(journal);
        update.ExecuteNonQuery();
    }

    public void MarkSent(Guid actionId) => SetPendingColumn("UPDATE cv_pending SET status = 'sent' WHERE action_id = $a", actionId, null);

    public void MarkAcknowledged(Guid actionId, long index) => SetPendingColumn("UPDATE cv_pending SET acked_index = $v WHERE action_id = $a", actionId, index);

    /// <summary>Replaces a pending action's body with a re-stamped one; it goes back to pending.</summary>
    public void Restamp(long seq, ConvergeAction action)
    {
        var update = _sql.Get("UPDATE cv_pending SET body = $b, status = 'pending', acked_index = NULL WHERE seq = $s", "$s", "$b");
        update.Parameters[0].Value = seq;
        update.Parameters[1].Value = ActionBody.Serialize(action);
        update.ExecuteNonQuery();
    }

    public void RemovePending(Guid actionId)
    {
        var delete = _sql.Get("DELETE FROM cv_pending WHERE action_id = $a", "$a");
        delete.Parameters[0].Value = actionId.ToString("D");
        delete.ExecuteNonQuery();
    }

    /// <summary>Records an action of this replica as confirmed at its index, and remembers its stamp as one a log holds.</summary>
    public void InsertConfirmed(ConvergeAction action, long index, DateTimeOffset now)
    {
        var insert = _sql.Get("INSERT INTO cv_confirmed (action_id, idx, confirmed_at) VALUES ($a, $i, $t) ON CONFLICT (action_id) DO NOTHING", "$a", "$i", "$t");
        insert.Parameters[0].Value = action.Id.ToString("D");
        insert.Parameters[1].Value = index;
        insert.Parameters[2].Value = Time(now);
        insert.ExecuteNonQuery();
        if (action.Hlc.Nanoseconds > GetLong(ReplicaKeys.MaxOwnLogged))
        {
            Set(ReplicaKeys.MaxOwnLogged, action.Hlc.Nanoseconds);
        }
    }

    /// <summary>Puts an action marked sent back to pending: the server refused its request as a whole, so no log holds it.</summary>
    public void MarkUnsent(Guid actionId)
    {
        var update = _sql.Get("UPDATE cv_pending SET status = 'pending' WHERE action_id = $a AND acked_index IS NULL", "$a");
        update.Parameters[0].Value = actionId.ToString("D");
        update.ExecuteNonQuery();
    }

    public void InsertRejection(ConvergeAction action, Core.Rejection rejection, DateTimeOffset now)
    {
        var insert = _sql.Get(
            "INSERT INTO cv_rejections (action_id, body, code, message, rejected_at) VALUES ($a, $b, $c, $m, $t) ON CONFLICT (action_id) DO UPDATE SET dismissed = CASE WHEN code = excluded.code AND message = excluded.message THEN dismissed ELSE 0 END, code = excluded.code, message = excluded.message",
            "$a", "$b", "$c", "$m", "$t");
        insert.Parameters[0].Value = action.Id.ToString("D");
        insert.Parameters[1].Value = ActionBody.Serialize(action);
        insert.Parameters[2].Value = rejection.Code;
        insert.Parameters[3].Value = rejection.Message;
        insert.Parameters[4].Value = Time(now);
        insert.ExecuteNonQuery();
    }

    public List<RejectedAction> LoadRejections()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT body, code, message, rejected_at FROM cv_rejections WHERE dismissed = 0 ORDER BY rejected_at, action_id";
        using var reader = command.ExecuteReader();
        var rejections = new List<RejectedAction>();
        while (reader.Read())
        {
            rejections.Add(new RejectedAction(ActionBody.Deserialize((byte[])reader[0]), reader.GetString(1), reader.GetString(2), ParseTime(reader.GetString(3))));
        }

        return rejections;
    }

    /// <summary>Takes every rejection out of the list; they are remembered, so the actions still read as rejected. Returns how many.</summary>
    public int ClearRejections() => _sql.Get("UPDATE cv_rejections SET dismissed = 1 WHERE dismissed = 0").ExecuteNonQuery();

    public ActionState FindState(Guid actionId)
    {
        var id = actionId.ToString("D");
        using var command = _connection.CreateCommand();
        command.CommandText = """
            SELECT 'confirmed', idx, NULL, NULL FROM cv_confirmed WHERE action_id = $a
            UNION ALL SELECT 'rejected', NULL, code, message FROM cv_rejections WHERE action_id = $a
            UNION ALL SELECT status, acked_index, NULL, NULL FROM cv_pending WHERE action_id = $a
            """;
        command.Parameters.AddWithValue("$a", id);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return new ActionState(actionId, ActionStatus.Unknown);
        }

        var status = reader.GetString(0) switch
        {
            "confirmed" => ActionStatus.Confirmed,
            "rejected" => ActionStatus.Rejected,
            "sent" => ActionStatus.Sent,
            _ => ActionStatus.Pending,
        };
        return new ActionState(actionId, status, reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
    }

    /// <summary>Replaces what the inbox says about an action with its latest conflicts; true when that changed it.</summary>
    public bool ReplaceConflicts(Guid actionId, IReadOnlyList<Conflict> conflicts, DateTimeOffset now)
    {
        var existing = _sql.Get("SELECT COUNT(*), COALESCE(group_concat(COALESCE(field, '') || '@' || winning_hlc, ','), '') FROM (SELECT field, winning_hlc FROM cv_conflicts WHERE action_id = $a ORDER BY field)", "$a");
        // Unchanged conflicts keep their rows (and whether the app dismissed them); changed ones replace them.
        existing.Parameters[0].Value = actionId.ToString("D");
        string before;
        using (var reader = existing.ExecuteReader())
        {
            reader.Read();
            before = reader.GetInt64(0) == 0 ? "" : reader.GetString(1);
        }

        var after = string.Join(',', conflicts.OrderBy(c => c.Field ?? "", StringComparer.Ordinal).Select(c => $"{c.Field ?? ""}@{c.WinningHlc}"));
        if (before == after)
        {
            return false;
        }

        var delete = _sql.Get("DELETE FROM cv_conflicts WHERE action_id = $a", "$a");
        delete.Parameters[0].Value = actionId.ToString("D");
        delete.ExecuteNonQuery();
        foreach (var conflict in conflicts)
        {
            var insert = _sql.Get(
                """
                INSERT INTO cv_conflicts (action_id, kind, collection, record, field, attempted, winning, winning_hlc, detected_at)
                VALUES ($a, $k, $c, $r, $f, $x, $w, $h, $t) ON CONFLICT (action_id, field) DO NOTHING
                """,
                "$a", "$k", "$c", "$r", "$f", "$x", "$w", "$h", "$t");
            insert.Parameters[0].Value = actionId.ToString("D");
            insert.Parameters[1].Value = conflict.Kind == ConflictKind.RecordDeleted ? "record_deleted" : "lost_to_newer_write";
            insert.Parameters[2].Value = conflict.Collection;
            insert.Parameters[3].Value = conflict.Record.ToString("D");
            insert.Parameters[4].Value = (object?)conflict.Field ?? DBNull.Value;
            insert.Parameters[5].Value = conflict.Attempted is { } attempted ? Core.Export.CanonicalJson.ToText(attempted) : DBNull.Value;
            insert.Parameters[6].Value = conflict.Winning is { } winning ? Core.Export.CanonicalJson.ToText(winning) : DBNull.Value;
            insert.Parameters[7].Value = conflict.WinningHlc.ToString();
            insert.Parameters[8].Value = Time(now);
            insert.ExecuteNonQuery();
        }

        return true;
    }

    public List<ConflictEntry> LoadConflicts()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT action_id, kind, collection, record, field, attempted, winning, winning_hlc, detected_at FROM cv_conflicts WHERE dismissed = 0 ORDER BY id";
        using var reader = command.ExecuteReader();
        var conflicts = new List<ConflictEntry>();
        while (reader.Read())
        {
            conflicts.Add(new ConflictEntry(
                Guid.ParseExact(reader.GetString(0), "D"),
                reader.GetString(1) == "record_deleted" ? ConflictKind.RecordDeleted : ConflictKind.LostToNewerWrite,
                reader.GetString(2),
                Guid.ParseExact(reader.GetString(3), "D"),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : Core.Export.CanonicalJson.Parse(reader.GetString(5)),
                reader.IsDBNull(6) ? null : Core.Export.CanonicalJson.Parse(reader.GetString(6)),
                Core.Clock.HybridTimestamp.Parse(reader.GetString(7).AsSpan()),
                ParseTime(reader.GetString(8))));
        }

        return conflicts;
    }

    /// <summary>Takes every conflict out of the inbox; they are remembered, so a later rebase does not report them again.</summary>
    public void ClearConflicts() => SqliteText.Execute(_connection, "UPDATE cv_conflicts SET dismissed = 1");

    /// <summary>Whether the local log holds an action after <paramref name="after"/> pushed through <paramref name="clientId"/>, by anyone.</summary>
    public bool HasLoggedThrough(long after, Guid clientId)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM cv_log WHERE idx > $a AND client_id = $c LIMIT 1";
        command.Parameters.AddWithValue("$a", after);
        command.Parameters.AddWithValue("$c", clientId.ToString("D"));
        return command.ExecuteScalar() is not null;
    }

    /// <summary>
    /// The actions in the local log after <paramref name="after"/> that <paramref name="principal"/> wrote through
    /// <paramref name="clientId"/>, in index order.
    /// </summary>
    public List<ConvergeAction> LoadOwnLogged(long after, Guid clientId, string principal)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT body FROM cv_log WHERE idx > $a AND client_id = $c AND principal = $p ORDER BY idx";
        command.Parameters.AddWithValue("$a", after);
        command.Parameters.AddWithValue("$c", clientId.ToString("D"));
        command.Parameters.AddWithValue("$p", principal);
        using var reader = command.ExecuteReader();
        var actions = new List<ConvergeAction>();
        while (reader.Read())
        {
            actions.Add(ActionBody.Deserialize((byte[])reader[0]));
        }

        return actions;
    }

    /// <summary>Forgets that actions were confirmed (the server lost them): they are pending again.</summary>
    public void ForgetConfirmed(Guid actionId)
    {
        var delete = _sql.Get("DELETE FROM cv_confirmed WHERE action_id = $a", "$a");
        delete.Parameters[0].Value = actionId.ToString("D");
        delete.ExecuteNonQuery();
    }

    /// <summary>Runs the next commit with <c>synchronous=FULL</c>, so it survives a power loss even in NORMAL mode.</summary>
    public void SyncNextCommit(bool full) => SqliteText.Execute(_connection, full && !_leftInRollbackJournal ? "PRAGMA synchronous=FULL" : $"PRAGMA synchronous={RestingSync}");

    /// <summary>Adds an action to the local log, with its canonical body.</summary>
    public void InsertLog(LoggedAction logged) =>
        _insertLog.Bind(1, logged.Index).Bind(2, logged.Action.Id).Bind(3, logged.ClientId).Bind(4, logged.Principal).BindBlob(5, Body(logged.Action)).Run();

    public List<LoggedAction> LoadLog(long after, int limit)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT idx, client_id, principal, body FROM cv_log WHERE idx > $a ORDER BY idx LIMIT $l";
        command.Parameters.AddWithValue("$a", after);
        command.Parameters.AddWithValue("$l", limit);
        using var reader = command.ExecuteReader();
        var log = new List<LoggedAction>();
        while (reader.Read())
        {
            log.Add(new LoggedAction(reader.GetInt64(0), Guid.ParseExact(reader.GetString(1), "D"), reader.GetString(2), ActionBody.Deserialize((byte[])reader[3])));
        }

        return log;
    }

    /// <summary>Forgets the stream's merge state and local log (before loading a snapshot).</summary>
    public void ClearStreamState()
    {
        State!.Clear();
        SqliteText.Execute(_connection, "DELETE FROM cv_log");
    }

    public string IntegrityCheck() => (string)SqliteText.Scalar(_connection, "PRAGMA integrity_check")!;

    public void Dispose()
    {
        State?.Dispose();
        _sql.Dispose();
        foreach (var statement in new[] { _begin, _commit, _rollback, _dataVersion, _get, _upsert, _insertPending, _insertLog })
        {
            statement.Dispose();
        }

        _writer.Dispose();
        _connection.Dispose();
    }

    /// <summary>Commits the transaction <see cref="Write"/> began.</summary>
    internal void Commit()
    {
        try
        {
            _commit.Run();
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
        _rollback.Run();
    }

    private void EndBulkLoad()
    {
        // Needs the file to itself for a moment (busy_timeout applies); if another opener still reads it, the file stays
        // in rollback mode (correct, only without concurrent readers) until the next open, which sets WAL again.
        // NORMAL is safe with the WAL only: in rollback mode it could corrupt the file on a power loss, so it keeps EXTRA.
        _leftInRollbackJournal = !TrySetJournalMode("wal");
        SqliteText.Execute(_connection, $"PRAGMA synchronous={RestingSync}");
    }

    /// <summary>The synchronous level between commits that ask for more: NORMAL is safe with the WAL only.</summary>
    private string RestingSync => _leftInRollbackJournal ? "EXTRA" : _fullSync ? "FULL" : "NORMAL";

    /// <summary>Changes the journal mode; false when SQLite kept the old one or another connection held the file.</summary>
    /// <remarks>On the native handle: Microsoft.Data.Sqlite would retry a busy statement for its command timeout (30 s).</remarks>
    private bool TrySetJournalMode(string mode)
    {
        try
        {
            using var pragma = new RawStatement(_connection, $"PRAGMA journal_mode={mode}");
            return string.Equals(pragma.ScalarText(), mode, StringComparison.OrdinalIgnoreCase);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED)
        {
            return false;
        }
    }

    private sealed class BulkLoadScope(ReplicaDatabase database, bool switched) : IDisposable
    {
        private bool _done = !switched;

        public void Dispose()
        {
            if (!_done)
            {
                _done = true;
                database.EndBulkLoad();
            }
        }
    }

    /// <summary>Forgets the cached settings and schema when another connection committed since the last look.</summary>
    private void Refresh()
    {
        var version = _dataVersion.ScalarLong() ?? 0;
        if (version != _seenVersion)
        {
            Forget();
            _seenVersion = version;
        }
    }

    private void Forget()
    {
        _settings.Clear();
        _seenVersion = -1;
        State?.Invalidate();
    }

    /// <summary>An action's canonical body, written into a buffer reused by the next call.</summary>
    private ReadOnlySpan<byte> Body(ConvergeAction action)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        ActionBody.Write(_writer, action);
        _writer.Flush();
        return _buffer.WrittenSpan;
    }

    private static ReadOnlySpan<byte> Time(DateTimeOffset time, Span<byte> buffer) =>
        time.UtcDateTime.TryFormat(buffer, out var written, "O", CultureInfo.InvariantCulture) ? buffer[..written] : throw new FormatException("A time did not fit its buffer.");

    private void SetPendingColumn(string sql, Guid actionId, long? value)
    {
        var command = _sql.Get(sql, "$a", "$v");
        command.Parameters[0].Value = actionId.ToString("D");
        command.Parameters[1].Value = value is { } v ? v : DBNull.Value;
        command.ExecuteNonQuery();
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
