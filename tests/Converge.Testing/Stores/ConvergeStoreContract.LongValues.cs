using Converge.Core.Actions;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.State;

namespace Converge.Testing.Stores;

/// <summary>The contract for values far longer than an index row: set elements and unique values of 10 KB.</summary>
public abstract partial class ConvergeStoreContract
{
    private const string Docs = """{"doc":{"fields":{"tags":{"type":"string","cardinality":"many"},"code":{"type":"string","unique":"value"}}}}""";

    [Fact]
    public async Task LongSetElementsAndUniqueValues_AreWrittenFoundEnforcedExportedAndSnapshotted()
    {
        var store = await CreateStoreAsync();

        // Incompressible, so no index can squeeze them under its row limit; two tags that differ only at the end.
        var tag = Incompressible(1, 10_000);
        var near = tag[..^1] + (tag[^1] == 'A' ? 'B' : 'A');
        var code = Incompressible(2, 10_000);
        var first = _factory.Create("doc", $$"""{"tags":["{{tag}}"],"code":"{{code}}"}""");
        var taken = _factory.Create("doc", $$"""{"code":"{{code}}"}""");
        var later = _factory.Create("doc", $$"""{"code":"{{code}}"}""");
        var expected = new InMemoryRecordState();
        ConvergeAction[][] pushes =
        [
            [_factory.Schema(Docs), first],
            [_factory.Add("doc", first.Record, "tags", $"\"{near}\""), _factory.Remove("doc", first.Record, "tags", $"\"{tag}\"")],
            [taken, _factory.Add("doc", first.Record, "tags", $"\"{tag}\"")],
            [_factory.Update("doc", first.Record, """{"code":"short"}"""), later],
        ];
        await PushAsync(store, pushes, expected);

        var export = await ExportAsync(store, "s");
        export.ShouldBe(CanonicalExport.ToText(expected));
        export.ShouldContain(tag);
        export.ShouldContain(near);
        var snapshot = (await store.CreateSnapshotAsync("s", Now)).ShouldNotBeNull();
        var loaded = new InMemoryRecordState();
        SnapshotFormat.Load(new MemoryStream(await ReadAllAsync((await store.OpenSnapshotAsync("s", snapshot.Digest))!)), loaded);
        CanonicalExport.ToText(loaded).ShouldBe(export);
        var check = await store.BeginWriteAsync("s");
        await using (check)
        {
            var record = new RecordKey("doc", first.Record);
            check.State.GetElements(record, "tags", [$"\"{tag}\"", $"\"{near}\"", $"\"{tag}x\""]).Keys.Order(StringComparer.Ordinal).ShouldBe(new[] { $"\"{tag}\"", $"\"{near}\"" }.Order(StringComparer.Ordinal));
            check.State.GetUnique(new UniqueKey("doc", "code", $"\"{code}\"")).ShouldBe(later.Record);
            var again = _factory.Create("doc", $$"""{"code":"{{code}}"}""");
            MergeEngine.Apply(check.State, again, new ApplyContext("bob")).Rejection!.Code.ShouldBe(Core.RejectionCodes.UniqueViolation);
            MergeEngine.Apply(check.State, _factory.Remove("doc", first.Record, "tags", $"\"{near}\""), new ApplyContext("alice")).Status.ShouldBe(ApplyStatus.Applied);
            await check.CommitAsync();
        }

        (await ExportAsync(store, "s")).ShouldNotContain(near);
    }

    /// <summary>A string of base64 characters from a seeded generator: the same each run, and no compressor shortens it much.</summary>
    private static string Incompressible(int seed, int length)
    {
        var bytes = new byte[(length * 3 / 4) + 3];
        new Random(seed).NextBytes(bytes);
        return Convert.ToBase64String(bytes)[..length];
    }
}
