using Converge.Server.Sqlite;
using Converge.Server.Storage;
using Converge.Testing;

namespace Converge.Server.Sqlite.Tests;

/// <summary>The SQLite session writes a push's entries together at commit: they read back exactly as appended.</summary>
public sealed class SqliteWriteSessionTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Commit_ManyEntries_ReadBackByteForByteWithTheirPrincipalsAndHashes()
    {
        using var store = new SqliteConvergeStore(_directory.File("entries.db"));
        var entries = Enumerable.Range(1, 50).Select(i => new StoredAction(
            i,
            Guid.CreateVersion7(),
            Guid.CreateVersion7(),
            i % 2 == 0 ? $"ann \"{i}\" \\ é ✓ 😀" : "bob",
            Enumerable.Range(0, i * 7).Select(b => (byte)(b * 31 + i)).ToArray())).ToList();
        var hashes = entries.Select(e => new byte[] { 0, (byte)e.Index, 255, 10 }).ToList();

        var session = await store.BeginWriteAsync("s");
        await using (session)
        {
            await session.PrefetchAsync([]);
            for (var i = 0; i < entries.Count; i++)
            {
                session.Append(entries[i], hashes[i]);
                session.FindAccepted(entries[i].ActionId).ShouldNotBeNull().Index.ShouldBe(entries[i].Index);
            }

            await session.CommitAsync();
        }

        var page = await store.ReadAsync("s", 0, 100);
        page.Head.ShouldBe(50);
        page.Actions.Count.ShouldBe(50);
        for (var i = 0; i < entries.Count; i++)
        {
            var read = page.Actions[i];
            (read.Index, read.ActionId, read.ClientId, read.Principal).ShouldBe((entries[i].Index, entries[i].ActionId, entries[i].ClientId, entries[i].Principal));
            read.Body.ToArray().ShouldBe(entries[i].Body.ToArray());
        }

        var check = await store.BeginWriteAsync("s");
        await using (check)
        {
            check.FindAccepted(entries[7].ActionId).ShouldNotBeNull().BodyHash.ToArray().ShouldBe(hashes[7]);
        }
    }

    [Fact]
    public async Task FindAcceptedAndRefused_ThroughAPushOfManyIds_LookUpNoneOneByOne_NorAnyAheadOfTheNextChunk()
    {
        using var store = new SqliteConvergeStore(_directory.File("prefetch.db"));
        var factory = new ActionFactory(new FakeTimeProvider());
        var actions = Enumerable.Range(0, 400).Select(i => (Core.Actions.ConvergeAction)factory.Create("person", $$"""{"n":{{i}}}""")).ToList();
        var before = await store.BeginWriteAsync("s");
        await using (before)
        {
            // Every seventh id was accepted before, every eleventh (of the others) refused.
            for (var i = 0; i < actions.Count; i++)
            {
                if (i % 7 == 0)
                {
                    before.Append(new StoredAction(before.Head + 1, actions[i].Id, Guid.CreateVersion7(), "alice", new byte[] { (byte)i }), new byte[] { (byte)i });
                }
                else if (i % 11 == 0)
                {
                    before.Refuse(actions[i].Id, new RefusedAction(new byte[] { (byte)i }, "not_found", $"refused {i}"));
                }
            }

            await before.CommitAsync();
        }

        var session = (SqliteWriteSession)await store.BeginWriteAsync("s");
        await using (session)
        {
            await session.PrefetchAsync(actions);
            for (var i = 0; i < actions.Count; i++)
            {
                var accepted = session.FindAccepted(actions[i].Id);
                var refused = session.FindRefused(actions[i].Id);
                (accepted?.BodyHash.ToArray()).ShouldBe(i % 7 == 0 ? new byte[] { (byte)i } : null);
                refused?.Message.ShouldBe($"refused {i}");
                (refused is not null).ShouldBe(i % 7 != 0 && i % 11 == 0);
                session.PrefetchedIds.ShouldBeLessThanOrEqualTo(((i / 128) + 1) * 128);
            }

            session.SingleLookups.ShouldBe(0);
            session.PrefetchedIds.ShouldBe(400);
        }
    }

    public void Dispose() => _directory.Dispose();
}
