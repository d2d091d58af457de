using Converge.Sqlite;
using Microsoft.Data.Sqlite;

namespace Converge.Server.Sqlite;

/// <summary>
/// Copies the write-ahead log into the database file on a connection of its own, after commits, so that no write
/// waits for it: the writer connection's automatic checkpoint (SQLite's default, every 1,000 pages, run inside the
/// <c>COMMIT</c> that crosses the mark) is turned off.
/// </summary>
/// <remarks>
/// <para>
/// Checkpoints are <c>PASSIVE</c>: they copy what no reader still needs and never wait for a reader or the writer, so
/// the writer keeps appending while one runs. One runs at most every <see cref="Interval"/> while commits go on (the
/// log grows by at most that much writing between two of them); the log restarts from its beginning once a checkpoint
/// has copied all of it, as with SQLite's own checkpoints.
/// </para>
/// <para>
/// A checkpoint that fails (the file busy, the disk full) leaves the log as it was: the next commit asks for another.
/// Disposing waits for a checkpoint in progress; the last connection to close checkpoints what is left.
/// </para>
/// </remarks>
internal sealed class WalCheckpointer : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _committed = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly TimeProvider _time;

    /// <param name="path">The database file.</param>
    /// <param name="interval">The least time between two checkpoints.</param>
    /// <param name="time">The clock of <paramref name="interval"/>.</param>
    public WalCheckpointer(string path, TimeSpan interval, TimeProvider? time = null)
    {
        Interval = interval;
        _time = time ?? TimeProvider.System;
        _connection = SqliteText.Open(path, fullSync: true);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The least time between two checkpoints.</summary>
    public TimeSpan Interval { get; }

    /// <summary>How many checkpoints ran to the end (all or part of the log copied), for tests.</summary>
    public int Checkpoints => Volatile.Read(ref _checkpoints);

    /// <summary>How many log frames the last checkpoint left in the log and how many it had copied, for tests.</summary>
    public (long Log, long Copied) Last { get; private set; }

    private int _checkpoints;

    /// <summary>Turns the automatic checkpoint of a connection that writes the file off.</summary>
    public static void TakeOver(SqliteConnection writer) => SqliteText.Execute(writer, "PRAGMA wal_autocheckpoint=0");

    /// <summary>A transaction committed: a checkpoint runs soon. Cheap, never blocks, safe from any thread.</summary>
    public void Committed()
    {
        if (_committed.CurrentCount == 0)
        {
            try
            {
                _committed.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another commit asked at the same moment: one checkpoint serves both.
            }
            catch (ObjectDisposedException)
            {
                // Closing: the last connection checkpoints.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }

        _connection.Dispose();
        _committed.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            await _committed.WaitAsync(token).ConfigureAwait(false);
            var started = _time.GetTimestamp();
            try
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                using var reader = command.ExecuteReader();
                if (reader.Read())
                {
                    Last = (reader.GetInt64(1), reader.GetInt64(2));
                }

                Interlocked.Increment(ref _checkpoints);
            }
#pragma warning disable CA1031 // A failed checkpoint leaves the log as it was; the next commit asks for another.
            catch (SqliteException)
#pragma warning restore CA1031
            {
            }

            var rest = Interval - _time.GetElapsedTime(started);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, _time, token).ConfigureAwait(false);
            }
        }
    }
}
