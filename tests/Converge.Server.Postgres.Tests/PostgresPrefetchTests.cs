using Converge.Core.Actions;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Protocol;
using Converge.Core.State;
using Converge.Server.Storage;
using Converge.Testing;

namespace Converge.Server.Postgres.Tests;

/// <summary>A prefetched push's set actions are decided from memory: no round trip per action under the stream's lock.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresPrefetchTests(PostgresFixture postgres)
{
    private const string Bags = """{"bag":{"fields":{"handle":{"type":"string","unique":"identity"},"tags":{"type":"string","cardinality":"many"}}}}""";
    private readonly ActionFactory _factory = new(new FakeTimeProvider());

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Prefetch_APushOfSetActions_LoadsTheirElements_SoDecidingThemQueriesNone(bool newNode)
    {
        var database = await postgres.Cluster.CreateDatabaseAsync();
        await using var store = await PostgresConvergeStore.OpenAsync(database);
        var first = _factory.Create("bag", """{"handle":"h","tags":["e0","e1","e2"]}""");
        var second = _factory.Create("bag", """{"handle":"h"}"""); // unified with the first: its id is an alias
        var expected = new InMemoryRecordState();
        await PushAsync(store, [_factory.Schema(Bags), first, second], expected);

        // 300 adds and removes, of stored elements and new ones, through the record's id and its alias. A new node
        // has not read the schema yet: it learns the elements' keys only from the schema the prefetch reads.
        var push = Enumerable.Range(0, 300).Select(i => (ConvergeAction)(i % 3 == 0
            ? _factory.Remove("bag", i % 2 == 0 ? first.Record : second.Record, "tags", $"\"e{i % 7}\"")
            : _factory.Add("bag", i % 2 == 0 ? first.Record : second.Record, "tags", $"\"e{i % 50}\""))).ToArray();
        await using var node = newNode ? await PostgresConvergeStore.OpenAsync(database) : null;
        var queries = await PushAsync(node ?? store, push, expected);

        queries.ShouldBe(0);
        (await ExportAsync(store)).ShouldBe(CanonicalExport.ToText(expected));
    }

    /// <summary>One prefetched session on stream "s"; returns how many times it read elements one set at a time.</summary>
    private static async Task<int> PushAsync(IConvergeStore store, ConvergeAction[] push, InMemoryRecordState expected)
    {
        var session = await store.BeginWriteAsync("s");
        await using (session)
        {
            await session.PrefetchAsync(push);
            foreach (var action in push)
            {
                var outcome = MergeEngine.Apply(session.State, action, new ApplyContext("alice"));
                MergeEngine.Apply(expected, action, new ApplyContext("alice")).Status.ShouldBe(outcome.Status);
                outcome.IsRejected.ShouldBeFalse();
                var body = ActionBody.Serialize(action);
                session.Append(new StoredAction(session.Head + 1, action.Id, Guid.CreateVersion7(), "alice", body), ActionBody.Hash(body));
            }

            var queries = ((PostgresRecordState)session.State).ElementQueries;
            await session.CommitAsync();
            return queries;
        }
    }

    private static async Task<string> ExportAsync(IConvergeStore store)
    {
        using var buffer = new MemoryStream();
        await store.ExportAsync("s", buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
