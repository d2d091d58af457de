using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.State;
using Converge.Core.Tests.Merge;
using Converge.Testing;

namespace Converge.Core.Tests.Export;

public sealed class CanonicalExportTests
{
    [Fact]
    public void Export_EmptyState_IsTheFixedSkeleton()
    {
        CanonicalExport.ToText(new InMemoryRecordState()).ShouldBe("""{"aliases":{},"records":{},"schema":{"collections":{}}}""");
    }

    [Fact]
    public void Export_SortsCollectionsRecordsFieldsAndNestedMembers()
    {
        var f = new EngineFixture(withSchema: false);
        f.Applied(f.A.Schema("""{"zeta":{"fields":{"b":{"type":"json"},"a":{"type":"long"}}},"alpha":{"fields":{}}}"""));
        var high = Guid.Parse("0f000000-0000-7000-8000-000000000000");
        var low = Guid.Parse("01000000-0000-7000-8000-000000000000");
        f.Applied(f.A.Create("zeta", """{"b":{"y":1,"x":[2,{"d":1,"c":2}]},"a":1}""", high));
        f.Applied(f.A.Create("zeta", """{"a":2}""", low));

        f.Export().ShouldBe(
            "{\"aliases\":{},\"records\":{\"alpha\":[],\"zeta\":[" +
            $"{{\"id\":\"{low}\",\"a\":2}}," +
            $"{{\"id\":\"{high}\",\"a\":1,\"b\":{{\"x\":[2,{{\"c\":2,\"d\":1}}],\"y\":1}}}}]}}," +
            "\"schema\":{\"collections\":{\"alpha\":{\"fields\":{},\"open\":false,\"owned\":false}," +
            "\"zeta\":{\"fields\":{\"a\":{\"cardinality\":\"one\",\"type\":\"long\"},\"b\":{\"cardinality\":\"one\",\"type\":\"json\"}},\"open\":false,\"owned\":false}}}}");
    }

    [Fact]
    public void Export_LeavesOutTombstones()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"name":"x"}""", id));

        f.Applied(f.A.Delete("person", id));

        f.Export().ShouldContain("\"person\":[]");
    }

    [Fact]
    public void Export_SameStateBuiltInAnotherInsertionOrder_IsByteIdentical()
    {
        var left = new EngineFixture();
        var right = new EngineFixture(withSchema: false);
        right.Applied(left.A.Schema(EngineFixture.PersonSchema));
        var creates = Enumerable.Range(0, 20).Select(i => left.A.Create("person", $$"""{"age":{{i}}}""")).ToList();

        creates.ForEach(c => left.Applied(c));
        Enumerable.Reverse(creates).ToList().ForEach(c => right.Applied(c));

        CanonicalExport.ToBytes(right.State).ShouldBe(CanonicalExport.ToBytes(left.State));
    }

    [Fact]
    public void CanonicalJson_EscapesStringsOneWay()
    {
        CanonicalJson.ToText(Json.Parse("\"caf\\u00e9 \\\"q\\\"\"")).ShouldBe("\"café \\\"q\\\"\"");
        CanonicalJson.ToText(Json.Parse("{ \"b\" : 1 , \"a\" : [ true , null ] }")).ShouldBe("{\"a\":[true,null],\"b\":1}");
    }

    [Fact]
    public void Digest_IsSha256Hex()
    {
        CanonicalExport.Digest("abc"u8).ShouldBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    [Fact]
    public void RecordView_ResolvesNothingAndShowsSetsAndCounters()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"tags":["b","a"],"visits":3,"name":null}""", id));

        RecordView.ToText(RecordSets.Materialize(f.State, f.State.GetRecord(new RecordKey("person", id))!)).ShouldBe($$"""{"id":"{{id}}","tags":["a","b"],"visits":3}""");
    }
}
