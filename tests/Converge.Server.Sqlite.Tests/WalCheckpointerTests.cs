using Converge.Server.Sqlite;
using Converge.Server.Storage;
using Converge.Testing;

namespace Converge.Server.Sqlite.Tests;

/// <summary>The write-ahead log is copied into the database file by a connection of its own, never inside a push's commit.</summary>
public sealed class WalCheckpointerTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Commits_DoNotCheckpoint_TheCheckpointerCopiesTheWholeLogIntoTheFile()
    {
        var path = _directory.File("checkpoints.db");
        using var store = new SqliteConvergeStore(path);
        store.Statements.Get("PRAGMA wal_autocheckpoint").ExecuteScalar().ShouldBe(0L);
        var before = new FileInfo(path).Length;

        // 40 commits of 200 KB each: about 2,000 pages, twice what SQLite's own checkpoint would let the log hold.
        var random = new Random(11);
        for (var i = 0; i < 40; i++)
        {
            var body = new byte[200_000];
            random.NextBytes(body);
            var session = await store.BeginWriteAsync("s");
            await using (session)
            {
                session.Append(new StoredAction(session.Head + 1, Guid.CreateVersion7(), Guid.CreateVersion7(), "alice", body), new byte[] { 1, 2, 3 });
                await session.CommitAsync();
            }
        }

        await Eventually.UntilAsync(
            () => store.Checkpointer.Last is { Log: > 0 } last && last.Copied == last.Log && new FileInfo(path).Length > before + (40 * 200_000),
            "the checkpointer to copy every committed page into the database file");
        store.Checkpointer.Checkpoints.ShouldBeGreaterThan(0);
        (await store.ReadAsync("s", 0, 100)).Actions.Count.ShouldBe(40);
    }

    public void Dispose() => _directory.Dispose();
}
