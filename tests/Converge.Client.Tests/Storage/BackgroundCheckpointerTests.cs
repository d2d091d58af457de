using Converge.Sqlite;
using Converge.Testing;
using Microsoft.Data.Sqlite;

namespace Converge.Client.Tests.Storage;

public sealed class BackgroundCheckpointerTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void Commits_LeaveTheCheckpointToTheBackground_WhichKeepsTheWalShort()
    {
        var path = _directory.File("owner.db");
        using var owner = SqliteText.Open(path, fullSync: false);
        SqliteText.Execute(owner, "CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)");
        using var checkpointer = new BackgroundCheckpointer(owner, path, pages: 100);

        for (var commit = 0; commit < 40; commit++)
        {
            SqliteText.Execute(owner, "BEGIN IMMEDIATE; INSERT INTO t (body) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) SELECT randomblob(1000) FROM n; COMMIT");
            checkpointer.AfterCommit();
            checkpointer.Wait();
        }

        checkpointer.Pause();

        // SQLite's own checkpoint would run inside a commit: it is off on the owner.
        SqliteText.Scalar(owner, "PRAGMA wal_autocheckpoint").ShouldBe(0L);
        checkpointer.Completed.ShouldBeGreaterThan(0);
        // About 600 pages were written: without checkpoints, the WAL would hold them all.
        new FileInfo(path + "-wal").Length.ShouldBeLessThan(400 * 4096);
        SqliteText.Scalar(owner, "SELECT COUNT(*) FROM t").ShouldBe(2000L);
    }

    [Fact]
    public void CommitsThatNeverPause_StillKeepTheWalBounded()
    {
        var path = _directory.File("owner.db");
        using var owner = SqliteText.Open(path, fullSync: false);
        SqliteText.Execute(owner, "CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)");
        using var checkpointer = new BackgroundCheckpointer(owner, path, pages: 50);

        for (var commit = 0; commit < 300; commit++)
        {
            SqliteText.Execute(owner, "BEGIN IMMEDIATE; INSERT INTO t (body) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20) SELECT randomblob(1000) FROM n; COMMIT");
            checkpointer.AfterCommit();
        }

        checkpointer.Pause();

        // About 1,800 pages went through the WAL; background checkpoints that lag behind a busy owner would let it
        // hold them all, the inline one past four times the threshold does not.
        new FileInfo(path + "-wal").Length.ShouldBeLessThan(600 * 4096, $"completed {checkpointer.Completed}");
    }

    [Fact]
    public void ABackgroundCheckpointThatFails_HandsTheCheckpointsBackToSqlite()
    {
        var path = _directory.File("owner.db");
        using var owner = SqliteText.Open(path, fullSync: false);
        SqliteText.Execute(owner, "CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)");
        using var checkpointer = new BackgroundCheckpointer(owner, _directory.File("missing/owner.db"), pages: 10);

        for (var commit = 0; commit < 3; commit++)
        {
            SqliteText.Execute(owner, "INSERT INTO t (body) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) SELECT randomblob(1000) FROM n");
            checkpointer.AfterCommit();
            checkpointer.Wait();
        }

        SqliteText.Scalar(owner, "PRAGMA wal_autocheckpoint").ShouldBe(10L);
        checkpointer.Completed.ShouldBe(0);
    }

    [Fact]
    public void Pause_ClosesTheSecondConnection_SoTheJournalModeCanChange()
    {
        var path = _directory.File("owner.db");
        using var owner = SqliteText.Open(path, fullSync: false);
        SqliteText.Execute(owner, "CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)");
        using var checkpointer = new BackgroundCheckpointer(owner, path, pages: 10);
        SqliteText.Execute(owner, "INSERT INTO t (body) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) SELECT randomblob(1000) FROM n");
        checkpointer.AfterCommit();

        checkpointer.Pause();

        SqliteText.Scalar(owner, "PRAGMA journal_mode=DELETE").ShouldBe("delete");
        SqliteText.Scalar(owner, "PRAGMA journal_mode=WAL").ShouldBe("wal");
        checkpointer.Resume();
    }

    public void Dispose() => _directory.Dispose();
}
