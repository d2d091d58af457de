using Converge.Sqlite;

namespace Converge.Server.Sqlite;

/// <summary>
/// The store's one writer connection, with group commit: writes take turns, each in its own savepoint inside one open
/// transaction, and the writes that finished while the first of them waited for its turn to commit share one
/// <c>COMMIT</c> (one fsync).
/// </summary>
/// <remarks>
/// <para>
/// Each write is atomic on its own: a write that fails is rolled back to its savepoint and leaves the others of its
/// group as they were. A kept write's <see cref="LeaveAsync"/> returns only once its group's <c>COMMIT</c> is durable,
/// so nothing is acknowledged before it is on disk; if that <c>COMMIT</c> fails, every write of the group fails and
/// none of them is applied.
/// </para>
/// <para>
/// The first write kept in a group queues for the lock again and commits when it gets it: the writes that were queued
/// before it join the group meanwhile, and nothing waits on a write that will never come. Waiters are served in
/// order (<see cref="SemaphoreSlim"/> queues asynchronous waiters first in, first out), so a group is bounded by the
/// writers already queued. Not for use inside a write: the lock is not reentrant.
/// </para>
/// </remarks>
#pragma warning disable CA1001 // The lock is never disposed: a group's committer may still take it after Close (it then finds nothing to do); SemaphoreSlim holds no handle unless asked for one.
internal sealed class SqliteWriter
#pragma warning restore CA1001
{
    private const string Savepoint = "cv_write";
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly SqliteStatements _statements;
    private readonly Action _undone;
    private readonly Action? _committed;
    private readonly WaitingWrites _waiting = new();
    private Group? _open;
    private bool _closed;

    /// <param name="statements">The writer connection's statements.</param>
    /// <param name="undone">Called after a whole transaction is rolled back, to drop what was cached from it.</param>
    /// <param name="committed">Called after each <c>COMMIT</c>, under the lock (to ask for a checkpoint); must not throw or block.</param>
    public SqliteWriter(SqliteStatements statements, Action undone, Action? committed = null)
    {
        _statements = statements;
        _undone = undone;
        _committed = committed;
    }

    /// <summary>True when a write of another stream than <paramref name="stream"/> waits for the lock (to start, or to commit its group).</summary>
    public bool OthersWaitFor(string stream) => _waiting.AnyOtherThan(stream);

    /// <summary>Waits for the lock and starts a write (a savepoint in the open transaction, begun if none is).</summary>
    /// <exception cref="ObjectDisposedException">The store is closed.</exception>
    /// <param name="stream">The stream the write is for; null for a write of no stream.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async ValueTask EnterAsync(string? stream, CancellationToken cancellationToken)
    {
        using (_waiting.Wait([stream]))
        {
            await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_open is null)
            {
                Execute("BEGIN IMMEDIATE");
                _open = new Group();
            }

            _open.Streams.Add(stream);

            Execute("SAVEPOINT " + Savepoint);
        }
        catch
        {
            if (_open is { Kept: 0 })
            {
                Abandon(null);
            }

            _lock.Release();
            throw;
        }
    }

    /// <summary>
    /// Ends the current write: kept (it joins the open group; the task ends when the group's <c>COMMIT</c> is durable,
    /// or fails with it) or undone (rolled back to its savepoint; the task has already ended).
    /// </summary>
    /// <param name="keep">True to keep the write, false to undo it.</param>
    /// <param name="durable">
    /// For a kept write: run once its group's <c>COMMIT</c> is durable, under the writer's lock, in the order the writes
    /// were kept, before any write of the group is answered (for in-memory views of what was committed). Must not throw.
    /// </param>
    public Task LeaveAsync(bool keep, Action? durable = null)
    {
        var group = _open ?? throw new InvalidOperationException("No write is in progress.");
        string?[]? committerStreams = null;
        try
        {
            if (keep)
            {
                Execute("RELEASE " + Savepoint);
                if (++group.Kept == 1)
                {
                    // Taken under the lock: once it is released, writes that join the group add to its streams on
                    // other threads, and a copy racing them can fail and leave the group uncommitted, its writes waiting.
                    committerStreams = [.. group.Streams];
                }

                if (durable is not null)
                {
                    group.WhenDurable.Add(durable);
                }
            }
            else if (group.Kept == 0)
            {
                // Nobody else is in this transaction: end it rather than leave it open with nothing to commit.
                Abandon(null);
            }
            else
            {
                Execute("ROLLBACK TO " + Savepoint);
                Execute("RELEASE " + Savepoint);
            }
        }
        catch (Exception e)
        {
            // The transaction is in an unknown state: undo all of it, and fail every write kept in it.
            Abandon(e);
            throw;
        }
        finally
        {
            _lock.Release();
        }

        return !keep ? Task.CompletedTask : committerStreams is not null ? CommitInTurnAsync(group, committerStreams) : group.Durable.Task;
    }

    /// <summary>Commits the open transaction, if any, and refuses every later write.</summary>
    public void Close()
    {
        _lock.Wait();
        try
        {
            if (_open is { } group)
            {
                Commit(group);
            }

            _closed = true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <param name="group">The group to commit.</param>
    /// <param name="streams">The group's streams when its first write was kept (its committer waits for them).</param>
    private async Task CommitInTurnAsync(Group group, string?[] streams)
    {
        // Not cancellable: the other writes of the group are waiting for this commit.
        using (_waiting.Wait(streams))
        {
            await _lock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        try
        {
            if (_open == group)
            {
                Commit(group);
            }
        }
        finally
        {
            _lock.Release();
        }

        await group.Durable.Task.ConfigureAwait(false);
    }

    private void Commit(Group group)
    {
        _open = null;
        try
        {
            Execute("COMMIT");
        }
#pragma warning disable CA1031 // The failure is handed to every write of the group, each of which throws it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _open = group;
            Abandon(e);
            return;
        }

        _committed?.Invoke();
        try
        {
            foreach (var durable in group.WhenDurable)
            {
                durable();
            }
        }
        finally
        {
            group.Durable.TrySetResult();
        }
    }

    /// <summary>Rolls the whole open transaction back; its kept writes fail with <paramref name="failure"/>.</summary>
    private void Abandon(Exception? failure)
    {
        var group = _open;
        _open = null;
        try
        {
            Execute("ROLLBACK");
        }
#pragma warning disable CA1031 // A failed ROLLBACK leaves SQLite's own rollback (the transaction ends either way).
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            _undone();
            if (group is { Kept: > 0 })
            {
                group.Durable.TrySetException(failure ?? new InvalidOperationException("The write transaction was rolled back."));
            }
        }
    }

    private void Execute(string sql) => _statements.Get(sql).ExecuteNonQuery();

    /// <summary>The writes sharing one transaction.</summary>
    private sealed class Group
    {
        public TaskCompletionSource Durable { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>How many writes were kept (released into the transaction).</summary>
        public int Kept { get; set; }

        /// <summary>What the kept writes asked to run once the group is durable, in the order they were kept.</summary>
        public List<Action> WhenDurable { get; } = [];

        /// <summary>The streams its writes were for (null for a write of no stream): who waits while it waits to commit.</summary>
        public HashSet<string?> Streams { get; } = [];
    }
}
