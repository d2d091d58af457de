using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Converge.Sqlite;

/// <summary>
/// Takes the WAL checkpoints of one connection off its commits: SQLite's automatic checkpoint runs inside the commit
/// that crosses its threshold (copying the WAL into the database file and syncing it), which made every third or so
/// sync step twice as slow. This turns it off on the owner and runs a passive checkpoint on a second connection, on
/// the thread pool, once the owner has written <see cref="Pages"/> pages since the last one.
/// </summary>
/// <remarks>
/// A checkpoint changes no data and is crash-safe, so where it runs does not touch durability. Calls are from the
/// owner's thread (one at a time, like the owner's connection); at most one checkpoint runs at once. A checkpoint
/// copies only the frames committed when it began, and the WAL starts over only once every frame is copied: while
/// the owner keeps committing, it may never start over, so when the owner has written four times <see cref="Pages"/>
/// since the running checkpoint began, or the last one found more than that in the WAL, the owner checkpoints inline
/// once after its commit (nothing of its own is open then, so that one copies everything and the next write starts
/// the WAL over): the WAL stays bounded as with SQLite's own checkpoint. Should a background checkpoint fail, the owner goes back to
/// SQLite's automatic checkpoint.
/// </remarks>
public sealed class BackgroundCheckpointer : IDisposable
{
    private readonly SqliteConnection _owner;
    private readonly string _path;
    private SqliteConnection? _connection;
    private Task _running = Task.CompletedTask;
    private long _writtenAtLast;
    private volatile int _walFrames;
    private volatile bool _failed;
    private bool _inline;
    private bool _paused;

    /// <summary>Turns off the automatic checkpoint of <paramref name="owner"/>, a connection to <paramref name="path"/> in WAL mode.</summary>
    public BackgroundCheckpointer(SqliteConnection owner, string path, int pages = 1000)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pages);
        _owner = owner;
        _path = path;
        Pages = pages;
        SqliteText.Execute(owner, "PRAGMA wal_autocheckpoint=0");
        _writtenAtLast = Written();
    }

    /// <summary>Pages the owner writes between two checkpoints (SQLite's automatic default is 1,000).</summary>
    public int Pages { get; }

    /// <summary>Checkpoints completed in the background so far.</summary>
    public int Completed { get; private set; }

    /// <summary>Call after each commit of the owner: starts a checkpoint when enough was written and none is running.</summary>
    public void AfterCommit()
    {
        if (_inline || _paused)
        {
            return;
        }

        if (_failed)
        {
            _inline = true;
            SqliteText.Execute(_owner, $"PRAGMA wal_autocheckpoint={Pages}");
            return;
        }

        var written = Written();
        if (written - _writtenAtLast < Pages || (!_running.IsCompleted && written - _writtenAtLast < 4 * Pages))
        {
            return;
        }

        if (!_running.IsCompleted || _walFrames > 4 * Pages)
        {
            // The background lags behind (still busy after four times the threshold, or the WAL never started over).
            _running.Wait();
            _writtenAtLast = written;
            _walFrames = 0;
            try
            {
                Run(_owner);
            }
            catch (SqliteException)
            {
                // The commit before this succeeded: a failed checkpoint must not look like a failed write.
                _failed = true;
            }

            return;
        }

        _writtenAtLast = written;
        _running = Task.Run(Checkpoint);
    }

    /// <summary>
    /// Waits for a running checkpoint, closes the second connection and starts no other until <see cref="Resume"/>
    /// (around a journal mode change, which needs the file to itself).
    /// </summary>
    public void Pause()
    {
        _paused = true;
        Wait();
        _connection?.Dispose();
        _connection = null;
    }

    /// <summary>Waits for a running checkpoint, if any, to end.</summary>
    public void Wait() => _running.Wait();

    /// <summary>Starts checkpoints again after <see cref="Pause"/>, counting pages from now.</summary>
    public void Resume()
    {
        _paused = false;
        _writtenAtLast = Written();
    }

    /// <inheritdoc />
    public void Dispose() => Pause();

    private void Checkpoint()
    {
        try
        {
            _connection ??= Open();
            _walFrames = Run(_connection);
            Completed++;
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            _failed = true;
        }
    }

    /// <summary>A passive checkpoint; returns the frames the WAL held.</summary>
    private static int Run(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using var reader = command.ExecuteReader();
        // busy, frames in the WAL, frames copied (-1 when not in WAL mode); busy means another opener is checkpointing.
        return reader.Read() && reader.GetInt64(0) == 0 ? (int)Math.Max(0, reader.GetInt64(1)) : 0;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ToString());
        connection.Open();
        SqliteText.Execute(connection, "PRAGMA busy_timeout=30000");
        return connection;
    }

    /// <summary>The pages the owner has written to the WAL since it opened.</summary>
    private long Written()
    {
        var rc = raw.sqlite3_db_status(_owner.Handle, raw.SQLITE_DBSTATUS_CACHE_WRITE, out var current, out _, 0);
        return rc == raw.SQLITE_OK ? current : 0;
    }
}
