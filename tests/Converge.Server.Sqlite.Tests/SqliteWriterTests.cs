using Converge.Server.Sqlite;
using Converge.Server.Storage;
using Converge.Testing;

namespace Converge.Server.Sqlite.Tests;

/// <summary>Group commit: sessions that queue for the writer share one commit, each still atomic and durable before it returns.</summary>
public sealed class SqliteWriterTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task CommitAsync_WithASessionQueued_WaitsForItAndCommitsBothTogether()
    {
        using var store = new SqliteConvergeStore(_directory.File("group.db"));
        var first = await store.BeginWriteAsync("s");
        var queued = store.BeginWriteAsync("s").AsTask();
        queued.IsCompleted.ShouldBeFalse();
        first.Append(Entry(1), new byte[] { 1 });

        var firstCommit = first.CommitAsync().AsTask();
        var second = await queued.WaitAsync(Eventually.Timeout);

        // The first is not acknowledged yet: it is in the open transaction, which no reader sees.
        firstCommit.IsCompleted.ShouldBeFalse();
        (await store.ReadAsync("s", 0, 10)).Head.ShouldBe(0);
        second.Head.ShouldBe(1);
        second.Append(Entry(2), new byte[] { 2 });
        await second.CommitAsync();
        await firstCommit.WaitAsync(Eventually.Timeout);
        await first.DisposeAsync();
        await second.DisposeAsync();

        var page = await store.ReadAsync("s", 0, 10);
        page.Head.ShouldBe(2);
        page.Actions.Select(a => a.Index).ShouldBe([1L, 2L]);
    }

    [Fact]
    public async Task OthersWaiting_IsTrueOnlyWhileAWriteOfAnotherStreamWaits()
    {
        using var store = new SqliteConvergeStore(_directory.File("waiting.db"));
        var session = await store.BeginWriteAsync("a");
        session.OthersWaiting.ShouldBeFalse();

        var sameStream = store.BeginWriteAsync("a").AsTask();
        session.OthersWaiting.ShouldBeFalse();
        var otherStream = store.BeginWriteAsync("b").AsTask();
        session.OthersWaiting.ShouldBeTrue();

        await session.DisposeAsync();
        var next = await sameStream.WaitAsync(Eventually.Timeout);
        next.OthersWaiting.ShouldBeTrue();
        await next.DisposeAsync();
        var last = await otherStream.WaitAsync(Eventually.Timeout);
        last.OthersWaiting.ShouldBeFalse();
        await last.DisposeAsync();
    }

    [Fact]
    public async Task OthersWaiting_CountsAGroupCommitWaitingForTheStreamsItHolds()
    {
        using var store = new SqliteConvergeStore(_directory.File("committer.db"));
        var first = await store.BeginWriteAsync("quiet");
        var queued = store.BeginWriteAsync("noisy").AsTask();
        first.Append(Entry(1), new byte[] { 1 });

        // Kept first in its group: its commit waits for the writer behind the queued session.
        var committing = first.CommitAsync().AsTask();
        var noisy = await queued.WaitAsync(Eventually.Timeout);

        noisy.OthersWaiting.ShouldBeTrue();
        await noisy.DisposeAsync();
        await committing.WaitAsync(Eventually.Timeout);
        await first.DisposeAsync();
    }

    [Fact]
    public async Task DisposeAsync_OneSessionOfAGroupFails_OnlyItIsUndone()
    {
        using var store = new SqliteConvergeStore(_directory.File("failure.db"));
        var first = await store.BeginWriteAsync("s");
        var failing = store.BeginWriteAsync("s").AsTask();
        var last = store.BeginWriteAsync("s").AsTask();
        first.Append(Entry(1), new byte[] { 1 });
        var firstCommit = first.CommitAsync().AsTask();

        var bad = await failing.WaitAsync(Eventually.Timeout);
        bad.Append(Entry(2), new byte[] { 2 });
        var refusedThenUndone = Guid.CreateVersion7();
        bad.Refuse(refusedThenUndone, new RefusedAction(new byte[] { 9 }, "x", "refused in a session that fails"));
        await bad.DisposeAsync();
        var good = await last.WaitAsync(Eventually.Timeout);
        good.Head.ShouldBe(1);
        good.Append(Entry(2), new byte[] { 3 });
        await good.CommitAsync();
        await firstCommit.WaitAsync(Eventually.Timeout);
        await first.DisposeAsync();
        await good.DisposeAsync();

        var page = await store.ReadAsync("s", 0, 10);
        page.Head.ShouldBe(2);
        var check = await store.BeginWriteAsync("s");
        await using (check)
        {
            check.FindAccepted(page.Actions[1].ActionId).ShouldNotBeNull().BodyHash.ToArray().ShouldBe(new byte[] { 3 });
            check.FindRefused(refusedThenUndone).ShouldBeNull();
        }
    }

    [Fact]
    public async Task CommitAsync_ManyConcurrentSessions_AllDurableWithGaplessIndexes()
    {
        var path = _directory.File("many.db");
        using (var store = new SqliteConvergeStore(path))
        {
            var sessions = Enumerable.Range(0, 40).Select(async i =>
            {
                await Task.Yield();
                var session = await store.BeginWriteAsync(i % 2 == 0 ? "a" : "b");
                await using (session)
                {
                    for (var n = 0; n < 3; n++)
                    {
                        session.Append(Entry(session.Head + 1), new byte[] { (byte)i });
                    }

                    await session.CommitAsync();
                }
            });
            await Task.WhenAll(sessions).WaitAsync(Eventually.Timeout);
        }

        // Reopened: every acknowledged session is on disk.
        using var reopened = new SqliteConvergeStore(path);
        foreach (var stream in new[] { "a", "b" })
        {
            var page = await reopened.ReadAsync(stream, 0, 100);
            page.Head.ShouldBe(60);
            page.Actions.Select(a => a.Index).ShouldBe(Enumerable.Range(1, 60).Select(i => (long)i));
        }
    }

    [Fact]
    public async Task ReadAsync_AtTheTailOfWhatThisStoreCommitted_IsAnsweredFromMemory()
    {
        var path = _directory.File("tail.db");
        using var store = new SqliteConvergeStore(path);
        var session = await store.BeginWriteAsync("s");
        await using (session)
        {
            for (var i = 1; i <= 3; i++)
            {
                session.Append(Entry(i), new byte[] { (byte)i });
            }

            await session.CommitAsync();
        }

        // Changed behind the store's back: a read at the tail does not open the file, one before it does.
        using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            other.Open();
            using var update = other.CreateCommand();
            update.CommandText = "UPDATE cv_log SET principal = 'changed'";
            update.ExecuteNonQuery();
        }

        var tail = await store.ReadAsync("s", 1, 10);
        tail.Actions.Select(a => (a.Index, a.Principal)).ShouldBe([(2L, "ann"), (3L, "ann")]);
        tail.Head.ShouldBe(3);
        (await store.ReadAsync("s", 3, 10)).Actions.ShouldBeEmpty();
        (await store.ReadAsync("s", 1, 1)).Actions.ShouldHaveSingleItem().Index.ShouldBe(2);
        (await store.ReadAsync("other", 0, 10)).Head.ShouldBe(0);

        await store.CreateSnapshotAsync("s", DateTimeOffset.UnixEpoch);
        await store.CompactAsync("s", 2);
        var afterCompaction = await store.ReadAsync("s", 2, 10);
        afterCompaction.Horizon.ShouldBe(2);
        afterCompaction.Actions.ShouldHaveSingleItem().Principal.ShouldBe("changed");
    }

    [Fact]
    public async Task ReadAsync_WhenAnySessionOfAGroupIsAnswered_TheTailHoldsEveryEntryOfTheGroup()
    {
        using var store = new SqliteConvergeStore(_directory.File("tail-group.db"));
        var first = await store.BeginWriteAsync("s");
        var queued = store.BeginWriteAsync("s").AsTask();
        first.Append(Entry(1), new byte[] { 1 });
        var firstCommit = first.CommitAsync().AsTask();
        var second = await queued.WaitAsync(Eventually.Timeout);
        second.Append(Entry(2), new byte[] { 2 });
        var secondCommit = second.CommitAsync().AsTask();

        await firstCommit.WaitAsync(Eventually.Timeout);

        // A watcher at cursor 1, woken by the first's answer, must not be told from memory that 1 is the head: the tail
        // moved with the group's commit, before any of its sessions was answered.
        var page = await store.ReadAsync("s", 1, 10);
        page.Head.ShouldBe(2);
        page.Actions.ShouldHaveSingleItem().Index.ShouldBe(2);
        await secondCommit.WaitAsync(Eventually.Timeout);
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    private static StoredAction Entry(long index) => new(index, Guid.CreateVersion7(), Guid.CreateVersion7(), "ann", "{\"kind\":\"create\"}"u8.ToArray());

    public void Dispose() => _directory.Dispose();
}
