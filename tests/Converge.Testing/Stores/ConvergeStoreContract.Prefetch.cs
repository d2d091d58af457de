using Converge.Core.Actions;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.State;

namespace Converge.Testing.Stores;

/// <summary>The contract for prefetching: a session told the batch ahead decides every set action as one that was not.</summary>
public abstract partial class ConvergeStoreContract
{
    [Fact]
    public async Task PrefetchedSession_DecidesSetActions_AsAnUnprefetchedOne()
    {
        const string bags = """{"bag":{"fields":{"handle":{"type":"string","unique":"identity"},"tags":{"type":"string","cardinality":"many"},"ids":{"type":"uuid","cardinality":"many"}}}}""";
        const string more = """{"bag":{"fields":{"handle":{"type":"string","unique":"identity"},"tags":{"type":"string","cardinality":"many"},"ids":{"type":"uuid","cardinality":"many"},"marks":{"type":"long","cardinality":"many"}}}}""";
        var first = _factory.Create("bag", """{"handle":"h","tags":["a","b"],"ids":["0196a7f0-0000-7000-8000-000000000001"]}""");
        var second = _factory.Create("bag", """{"handle":"h","tags":["c"]}"""); // unified with the first: its id is an alias
        var uuid = "\"0196A7F0-0000-7000-8000-000000000001\""; // the stored uuid, in the other case: one element
        ConvergeAction[][] pushes =
        [
            [_factory.Schema(bags), first],
            [second, _factory.Add("bag", second.Record, "tags", "\"d\""), _factory.Remove("bag", first.Record, "tags", "\"a\"")],
            [
                _factory.Add("bag", second.Record, "tags", "\"a\""), // through the alias
                _factory.Remove("bag", first.Record, "tags", "\"never\""),
                _factory.Add("bag", first.Record, "ids", uuid),
                _factory.Remove("bag", first.Record, "ids", "5"), // a number in a uuid set: type_mismatch
                _factory.Add("bag", first.Record, "marks", "5"), // not declared yet: unknown_field
                _factory.Schema(more),
                _factory.Add("bag", first.Record, "marks", "5"),
                _factory.Add("bag", first.Record, "marks", "5.0"),
                _factory.Add("bag", Guid.CreateVersion7(), "tags", "\"x\""), // no such record
                _factory.Create("bag", """{"tags":["y"]}""", first.Record),
                _factory.Add("bag", first.Record, "tags", "\"y\""),
                _factory.Remove("bag", second.Record, "tags", "\"b\""),
            ],
        ];
        var store = await CreateStoreAsync();
        var outcomes = new Dictionary<string, List<ApplyStatus>>();
        var exports = new Dictionary<string, string>();
        foreach (var (stream, prefetch) in new[] { ("prefetched", true), ("unprefetched", false) })
        {
            var expected = new InMemoryRecordState();
            outcomes[stream] = [];
            foreach (var push in pushes)
            {
                var session = await store.BeginWriteAsync(stream);
                await using (session)
                {
                    if (prefetch)
                    {
                        await session.PrefetchAsync(push);
                    }

                    foreach (var action in push)
                    {
                        var outcome = MergeEngine.Apply(session.State, action, new ApplyContext("alice"));
                        MergeEngine.Apply(expected, action, new ApplyContext("alice")).Status.ShouldBe(outcome.Status);
                        outcomes[stream].Add(outcome.Status);
                        if (!outcome.IsRejected)
                        {
                            session.Append(Entry(session.Head + 1, action), Hash(action));
                        }
                    }

                    await session.CommitAsync();
                }
            }

            exports[stream] = await ExportAsync(store, stream);
            exports[stream].ShouldBe(CanonicalExport.ToText(expected));
        }

        outcomes["prefetched"].ShouldBe(outcomes["unprefetched"]);
        exports["prefetched"].ShouldBe(exports["unprefetched"]);
        outcomes["prefetched"].ShouldContain(ApplyStatus.Applied);
        outcomes["prefetched"].ShouldContain(ApplyStatus.Rejected);
    }
}
