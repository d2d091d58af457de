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
        var second = await queued.WaitAsync(TimeSpan.FromSeconds(10));

        // The first is not acknowledged yet: it is in the open transaction, which no reader sees.
        firstCommit.IsCompleted.ShouldBeFalse();
        (await store.ReadAsync("s", 0, 10)).Head.ShouldBe(0);
        second.Head.ShouldBe(1);
        second.Append(Entry(2), new byte[] { 2 });
        await second.CommitAsync();
        await firstCommit.WaitAsync(TimeSpan.FromSeconds(10));
        await first.DisposeAsync();
        await second.DisposeAsync();

        var page = await store.ReadAsync("s", 0, 10);
        page.Head.ShouldBe(2);
        page.Actions.Select(a => a.Index).ShouldBe([1L, 2L]);
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

        var bad = await failing.WaitAsync(TimeSpan.FromSeconds(10));
        bad.Append(Entry(2), new byte[] { 2 });
        var refusedThenUndone = Guid.CreateVersion7();
        bad.Refuse(refusedThenUndone, new RefusedAction(new byte[] { 9 }, "x", "refused in a session that fails"));
        await bad.DisposeAsync();
        var good = await last.WaitAsync(TimeSpan.FromSeconds(10));
        good.Head.ShouldBe(1);
        good.Append(Entry(2), new byte[] { 3 });
        await good.CommitAsync();
        await firstCommit.WaitAsync(TimeSpan.FromSeconds(10));
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
            await Task.WhenAll(sessions).WaitAsync(TimeSpan.FromSeconds(30));
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

    private static StoredAction Entry(long index) => new(index, Guid.CreateVersion7(), Guid.CreateVersion7(), "ann", "{\"kind\":\"create\"}"u8.ToArray());

    public void Dispose() => _directory.Dispose();
}
