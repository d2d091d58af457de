using System.Text;
using Converge.Core.Actions;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Protocol;
using Converge.Core.State;
using Converge.Server.Storage;

namespace Converge.Testing.Stores;

/// <summary>
/// The contract every server store keeps, run unchanged against each one: a derived class only says how to make a
/// fresh, empty store.
/// </summary>
public abstract partial class ConvergeStoreContract
{
    private const string People = """{"person":{"fields":{"name":{"type":"string"},"email":{"type":"string","unique":"value"}}}}""";
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private readonly ActionFactory _factory = new(new FakeTimeProvider());

    /// <summary>A new, empty store the test owns (dispose it if it is disposable).</summary>
    internal abstract Task<IConvergeStore> CreateStoreAsync();

    [Fact]
    public async Task Append_ThenRead_GivesExactlyTheEntriesAfterTheCursorUpToTheLimit()
    {
        var store = await CreateStoreAsync();
        await AppendAsync(store, "s", 5);

        var page = await store.ReadAsync("s", 1, 3);

        page.Actions.Select(a => a.Index).ShouldBe([2, 3, 4]);
        page.Head.ShouldBe(5);
        page.Horizon.ShouldBe(0);
        (await store.ReadAsync("s", 5, 10)).Actions.ShouldBeEmpty();
        (await store.ReadAsync("unknown", 0, 10)).Head.ShouldBe(0);
    }

    [Fact]
    public async Task Read_ReturnsTheStoredBodyPrincipalAndClient()
    {
        var store = await CreateStoreAsync();
        var action = _factory.Schema(People);
        var client = Guid.CreateVersion7();
        var session = await store.BeginWriteAsync("s");
        await using (session)
        {
            session.Append(Entry(1, action, client), Hash(action));
            await session.CommitAsync();
        }

        var stored = (await store.ReadAsync("s", 0, 10)).Actions.ShouldHaveSingleItem();

        stored.ActionId.ShouldBe(action.Id);
        stored.ClientId.ShouldBe(client);
        stored.Principal.ShouldBe("alice");
        stored.Body.ToArray().ShouldBe(ActionBody.Serialize(action));
    }

    [Fact]
    public async Task Session_DisposedWithoutCommit_ChangesNothing()
    {
        var store = await CreateStoreAsync();
        await AppendAsync(store, "s", 2);
        var before = await ExportAsync(store, "s");
        var session = await store.BeginWriteAsync("s");
        await using (session)
        {
            var create = _factory.Create("person", """{"name":"rolled back"}""");
            MergeEngine.Apply(session.State, create, new ApplyContext("alice")).IsRejected.ShouldBeFalse();
            session.Append(Entry(3, create), Hash(create));
        }

        var page = await store.ReadAsync("s", 0, 10);
        page.Head.ShouldBe(2);
        page.Actions.Count.ShouldBe(2);
        (await ExportAsync(store, "s")).ShouldBe(before);
        var next = await store.BeginWriteAsync("s");
        await using (next)
        {
            next.Head.ShouldBe(2);
            next.FindAccepted(Guid.CreateVersion7()).ShouldBeNull();
        }
    }

    [Fact]
    public async Task Append_OutOfOrderIndex_Throws()
    {
        var store = await CreateStoreAsync();
        var session = await store.BeginWriteAsync("s");
        await using (session)
        {
            var action = _factory.Schema(People);
            Should.Throw<InvalidOperationException>(() => session.Append(Entry(2, action), Hash(action)));
        }
    }

    [Fact]
    public async Task ConcurrentSessions_OnOneStream_GiveGaplessIndexesExactlyOnce()
    {
        var store = await CreateStoreAsync();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => AppendAsync(store, "s", 25))));

        var page = await store.ReadAsync("s", 0, 1000);
        page.Actions.Select(a => a.Index).ShouldBe(Enumerable.Range(1, 200).Select(i => (long)i));
        page.Actions.Select(a => a.ActionId).Distinct().Count().ShouldBe(200);
    }

    [Fact]
    public async Task FindAccepted_KnowsIndexAndBodyHash_EvenAfterCompaction()
    {
        var store = await CreateStoreAsync();
        var actions = await AppendAsync(store, "s", 3);
        await store.CreateSnapshotAsync("s", Now);
        await store.CompactAsync("s", 3);

        var session = await store.BeginWriteAsync("s");
        await using (session)
        {
            var found = session.FindAccepted(actions[1].Id).ShouldNotBeNull();
            found.Index.ShouldBe(2);
            found.BodyHash.ToArray().ShouldBe(Hash(actions[1]).ToArray());
        }
    }

    [Fact]
    public async Task Refusal_IsRememberedWhenCommitted_AndForgottenWhenRolledBack()
    {
        var store = await CreateStoreAsync();
        var kept = Guid.CreateVersion7();
        var dropped = Guid.CreateVersion7();
        var session = await store.BeginWriteAsync("s");
        await using (session)
        {
            session.Refuse(kept, new RefusedAction(new byte[] { 1, 2 }, "unique_violation", "taken"));
            session.FindRefused(kept).ShouldNotBeNull().Code.ShouldBe("unique_violation");
            await session.CommitAsync();
        }

        var rolledBack = await store.BeginWriteAsync("s");
        await using (rolledBack)
        {
            rolledBack.Refuse(dropped, new RefusedAction(new byte[] { 3 }, "not_found", "gone"));
        }

        var check = await store.BeginWriteAsync("s");
        await using (check)
        {
            var found = check.FindRefused(kept).ShouldNotBeNull();
            found.BodyHash.ToArray().ShouldBe(new byte[] { 1, 2 });
            found.Message.ShouldBe("taken");
            check.FindRefused(dropped).ShouldBeNull();
            check.Refuse(kept, new RefusedAction(new byte[] { 9 }, "clock_drift", "ahead"));
            check.FindRefused(kept)!.Code.ShouldBe("clock_drift");
        }
    }

    [Fact]
    public async Task State_WrittenInASession_IsReadBackInTheNext()
    {
        var store = await CreateStoreAsync();
        var schema = _factory.Schema(People);
        var create = _factory.Create("person", """{"name":"Ann","email":"ann@example.com"}""");
        var expected = new InMemoryRecordState();
        foreach (var action in new ConvergeAction[] { schema, create })
        {
            MergeEngine.Apply(expected, action, new ApplyContext("alice"));
            var session = await store.BeginWriteAsync("s");
            await using (session)
            {
                MergeEngine.Apply(session.State, action, new ApplyContext("alice")).IsRejected.ShouldBeFalse();
                session.Append(Entry(session.Head + 1, action), Hash(action));
                await session.CommitAsync();
            }
        }

        var check = await store.BeginWriteAsync("s");
        await using (check)
        {
            var duplicate = _factory.Create("person", """{"email":"ann@example.com"}""");
            MergeEngine.Apply(check.State, duplicate, new ApplyContext("bob")).Rejection!.Code.ShouldBe(Core.RejectionCodes.UniqueViolation);
        }

        (await ExportAsync(store, "s")).ShouldBe(CanonicalExport.ToText(expected));
    }

    [Fact]
    public async Task SetElements_WrittenOneByOne_AreReadBack_AndARolledBackWriteLeavesNone()
    {
        const string bags = """{"bag":{"fields":{"tags":{"type":"string","cardinality":"many"},"name":{"type":"string"}}}}""";
        var store = await CreateStoreAsync();
        var create = _factory.Create("bag", """{"name":"b","tags":["a","b"]}""");
        var expected = new InMemoryRecordState();
        ConvergeAction[][] pushes =
        [
            [_factory.Schema(bags), create],
            [_factory.Add("bag", create.Record, "tags", "\"c\""), _factory.Remove("bag", create.Record, "tags", "\"a\"")],
            [_factory.Add("bag", create.Record, "tags", "\"c\""), _factory.Update("bag", create.Record, """{"name":"renamed"}""")],
            [_factory.Create("bag", """{"tags":["d"]}""", create.Record)],
        ];
        await PushAsync(store, pushes, expected);

        var rolledBack = await store.BeginWriteAsync("s");
        await using (rolledBack)
        {
            MergeEngine.Apply(rolledBack.State, _factory.Add("bag", create.Record, "tags", "\"gone\""), new ApplyContext("alice")).Status.ShouldBe(ApplyStatus.Applied);
        }

        var export = await ExportAsync(store, "s");
        export.ShouldBe(CanonicalExport.ToText(expected));
        export.ShouldContain("""["b","c","d"]""");
        var snapshot = (await store.CreateSnapshotAsync("s", Now)).ShouldNotBeNull();
        var loaded = new InMemoryRecordState();
        SnapshotFormat.Load(new MemoryStream(await ReadAllAsync((await store.OpenSnapshotAsync("s", snapshot.Digest))!)), loaded);
        CanonicalExport.ToText(loaded).ShouldBe(export);
        var check = await store.BeginWriteAsync("s");
        await using (check)
        {
            MergeEngine.Apply(check.State, _factory.Remove("bag", create.Record, "tags", "\"gone\""), new ApplyContext("alice")).Status.ShouldBe(ApplyStatus.Applied);
            check.State.GetElements(new RecordKey("bag", create.Record), "tags", ["\"c\"", "\"gone\""]).Keys.Order(StringComparer.Ordinal).ShouldBe(["\"c\"", "\"gone\""]);
        }
    }

    [Fact]
    public async Task PrefetchedSession_ResolvesAliasesAndReadsRecords_AsAnUnprefetchedOne()
    {
        const string handles = """{"person":{"fields":{"handle":{"type":"string","unique":"identity"},"name":{"type":"string"}}}}""";
        var store = await CreateStoreAsync();
        var first = _factory.Create("person", """{"handle":"ann","name":"first"}""");
        var second = _factory.Create("person", """{"handle":"ann","name":"second"}"""); // unified with the first: an alias
        var other = _factory.Create("person", """{"handle":"bob","name":"bob"}""");
        var later = new ConvergeAction[]
        {
            _factory.Update("person", second.Record, """{"name":"through the alias"}"""),
            _factory.Update("person", other.Record, """{"name":"bob 2"}"""),
            _factory.Update("person", Guid.CreateVersion7(), """{"name":"nobody"}"""),
        };
        var expected = new InMemoryRecordState();
        ConvergeAction[][] pushes = [[_factory.Schema(handles), first, other], [second], later];
        await PushAsync(store, pushes, expected);

        var export = await ExportAsync(store, "s");
        export.ShouldBe(CanonicalExport.ToText(expected));
        export.ShouldContain("through the alias");
    }

    [Fact]
    public async Task Streams_AreIndependent()
    {
        var store = await CreateStoreAsync();
        await AppendAsync(store, "a", 3);
        await AppendAsync(store, "b", 1);

        (await store.ReadAsync("a", 0, 10)).Head.ShouldBe(3);
        (await store.ReadAsync("b", 0, 10)).Head.ShouldBe(1);
        (await store.ListStreamsAsync()).ShouldBe(["a", "b"]);
        (await ExportAsync(store, "b")).ShouldBe(await ExportAsync(store, "b"));
    }

    [Fact]
    public async Task Snapshot_IsContentAddressedAndLoadsIntoTheSameState()
    {
        var store = await CreateStoreAsync();
        await AppendAsync(store, "s", 4);

        var snapshot = (await store.CreateSnapshotAsync("s", Now)).ShouldNotBeNull();
        var latest = (await store.GetLatestSnapshotAsync("s")).ShouldNotBeNull();
        var body = await ReadAllAsync((await store.OpenSnapshotAsync("s", snapshot.Digest)).ShouldNotBeNull());

        latest.Digest.ShouldBe(snapshot.Digest);
        snapshot.Index.ShouldBe(4);
        CanonicalExport.Digest(body).ShouldBe(snapshot.Digest);
        var loaded = new InMemoryRecordState();
        SnapshotFormat.Load(new MemoryStream(body), loaded).Index.ShouldBe(4);
        CanonicalExport.ToText(loaded).ShouldBe(await ExportAsync(store, "s"));
        (await store.OpenSnapshotAsync("other", snapshot.Digest)).ShouldBeNull();
        (await store.CreateSnapshotAsync("s", Now)).ShouldNotBeNull().Digest.ShouldBe(snapshot.Digest);
    }

    [Fact]
    public async Task Compact_NeverGoesPastTheLatestSnapshot()
    {
        var store = await CreateStoreAsync();
        await AppendAsync(store, "s", 3);
        (await store.CompactAsync("s", 3)).ShouldBe(0);
        await store.CreateSnapshotAsync("s", Now);
        await AppendAsync(store, "s", 2);

        (await store.CompactAsync("s", 5)).ShouldBe(3);

        var page = await store.ReadAsync("s", 3, 10);
        page.Horizon.ShouldBe(3);
        page.Actions.Select(a => a.Index).ShouldBe([4, 5]);
        (await store.ReadAsync("s", 0, 10)).Actions.Select(a => a.Index).ShouldBe([4, 5]);
        (await store.CompactAsync("s", 2)).ShouldBe(3);
    }

    [Fact]
    public async Task ClientRegistry_KeepsTheLastVisitAndTheKnownCursor()
    {
        var store = await CreateStoreAsync();
        var client = Guid.CreateVersion7();

        await store.TouchClientAsync(new ClientVisit("s", client, "alice", 7, Now));
        await store.TouchClientAsync(new ClientVisit("s", client, "alice", null, Now.AddMinutes(1)));

        var info = (await store.ListClientsAsync("s")).ShouldHaveSingleItem();
        info.ClientId.ShouldBe(client);
        info.Cursor.ShouldBe(7);
        info.LastSeen.ShouldBe(Now.AddMinutes(1));
        (await store.ListClientsAsync("other")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Credentials_AreFoundByHashOnly()
    {
        var store = await CreateStoreAsync();
        await store.SaveCredentialAsync(new Credential("abc123", "alice", ["s1", "s2"], Now));

        var found = (await store.FindCredentialAsync("abc123")).ShouldNotBeNull();

        found.Principal.ShouldBe("alice");
        found.Streams.ShouldBe(["s1", "s2"]);
        (await store.FindCredentialAsync("nope")).ShouldBeNull();
    }

    [Fact]
    public async Task Ping_Answers()
    {
        var store = await CreateStoreAsync();

        (await store.PingAsync()).ShouldBeTrue();
    }

    /// <summary>Appends <paramref name="count"/> creates (after a schema, on a new stream) in one session each.</summary>
    internal async Task<List<ConvergeAction>> AppendAsync(IConvergeStore store, string stream, int count)
    {
        var appended = new List<ConvergeAction>();
        for (var i = 0; i < count; i++)
        {
            var session = await store.BeginWriteAsync(stream);
            await using (session)
            {
                ConvergeAction action = session.Head == 0
                    ? _factory.Schema(People)
                    : _factory.Create("person", $$"""{"name":"n{{i}}"}""");
                MergeEngine.Apply(session.State, action, new ApplyContext("alice")).IsRejected.ShouldBeFalse();
                session.Append(Entry(session.Head + 1, action), Hash(action));
                await session.CommitAsync();
                appended.Add(action);
            }
        }

        return appended;
    }

    /// <summary>Each push in its own prefetched session on stream "s", as the server runs them; each action is applied to <paramref name="expected"/> too, with the same outcome.</summary>
    private static async Task PushAsync(IConvergeStore store, ConvergeAction[][] pushes, InMemoryRecordState expected)
    {
        foreach (var push in pushes)
        {
            var session = await store.BeginWriteAsync("s");
            await using (session)
            {
                await session.PrefetchAsync(push);
                foreach (var action in push)
                {
                    var outcome = MergeEngine.Apply(session.State, action, new ApplyContext("alice"));
                    MergeEngine.Apply(expected, action, new ApplyContext("alice")).Status.ShouldBe(outcome.Status);
                    if (!outcome.IsRejected)
                    {
                        session.Append(Entry(session.Head + 1, action), Hash(action));
                    }
                }

                await session.CommitAsync();
            }
        }
    }

    internal static async Task<string> ExportAsync(IConvergeStore store, string stream)
    {
        using var buffer = new MemoryStream();
        await store.ExportAsync(stream, buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static StoredAction Entry(long index, ConvergeAction action, Guid? client = null) =>
        new(index, action.Id, client ?? Guid.Parse("00000000-0000-7000-8000-000000000001"), "alice", ActionBody.Serialize(action));

    private static ReadOnlyMemory<byte> Hash(ConvergeAction action) => ActionBody.Hash(ActionBody.Serialize(action));

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }
}
