using Converge.Core.Actions;
using Converge.Core.Merge;

namespace Converge.Core.Tests.Merge;

public sealed class LimitTests
{
    private static readonly ApplyLimits Small = new() { MaxCollections = 4, MaxFieldsPerCollection = 20, MaxSchemaFields = 40, MaxSetElements = 3, MaxRecordBytes = 1000 };

    [Fact]
    public void Schema_WithMoreCollectionsThanAllowed_IsSchemaTooLarge_AndChangesNothing()
    {
        var f = new EngineFixture();
        var before = f.Export();

        var result = Apply(f, f.A.Schema("""{"c1":{"fields":{}},"c2":{"fields":{}}}"""));

        result.Rejection!.Code.ShouldBe(RejectionCodes.SchemaTooLarge);
        f.Export().ShouldBe(before);
        Apply(f, f.A.Schema("""{"c1":{"fields":{}}}""")).Status.ShouldBe(ApplyStatus.Applied);
    }

    [Fact]
    public void Schema_WithMoreFieldsInOneCollectionThanAllowed_IsSchemaTooLarge()
    {
        var f = new EngineFixture();
        var fields = string.Join(",", Enumerable.Range(0, 6).Select(i => $$"""  "f{{i}}":{"type":"string"}"""));

        Apply(f, f.A.Schema("{\"person\":{\"fields\":{" + fields + "}}}")).Rejection!.Code.ShouldBe(RejectionCodes.SchemaTooLarge);
        Apply(f, f.A.Schema("""{"person":{"fields":{"more":{"type":"string"}}}}""")).Status.ShouldBe(ApplyStatus.Applied);
    }

    [Fact]
    public void Schema_WithMoreFieldsInAllThanAllowed_IsSchemaTooLarge()
    {
        var f = new EngineFixture();
        var twelve = string.Join(",", Enumerable.Range(0, 12).Select(i => $$"""  "f{{i}}":{"type":"string"}"""));

        // 17 fields and 24 more: each collection within its limit, the schema past its own.
        Apply(f, f.A.Schema("{\"note\":{\"owned\":true,\"fields\":{" + twelve + "}},\"blob\":{\"open\":true,\"fields\":{" + twelve + "}}}")).Rejection!.Code.ShouldBe(RejectionCodes.SchemaTooLarge);
        Apply(f, f.A.Schema("{\"note\":{\"owned\":true,\"fields\":{" + twelve + "}}}")).Status.ShouldBe(ApplyStatus.Applied);
    }

    [Fact]
    public void Add_PastTheSetLimit_IsSetTooLarge_ButAKnownElementStillMoves()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        Apply(f, f.A.Create("person", """{"tags":["a","b"]}""", id)).Status.ShouldBe(ApplyStatus.Applied);
        Apply(f, f.A.Add("person", id, "tags", "\"c\"")).Status.ShouldBe(ApplyStatus.Applied);
        var before = f.Export();

        Apply(f, f.A.Add("person", id, "tags", "\"d\"")).Rejection!.Code.ShouldBe(RejectionCodes.SetTooLarge);
        Apply(f, f.A.Update("person", id, """{"tags":["x"]}""")).Rejection!.Code.ShouldBe(RejectionCodes.SetTooLarge);

        f.Export().ShouldBe(before);
        Apply(f, f.A.Remove("person", id, "tags", "\"a\"")).Status.ShouldBe(ApplyStatus.Applied);
        Apply(f, f.A.Add("person", id, "tags", "\"a\"")).Status.ShouldBe(ApplyStatus.Applied);
    }

    [Fact]
    public void Create_WithMoreElementsThanAllowed_IsSetTooLarge()
    {
        var f = new EngineFixture();

        Apply(f, f.A.Create("person", """{"tags":["a","b","c","d"]}""")).Rejection!.Code.ShouldBe(RejectionCodes.SetTooLarge);
    }

    [Fact]
    public void Write_ThatGrowsARecordPastTheLimit_IsRecordTooLarge_ButShrinkingIsFine()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        Apply(f, f.A.Create("blob", """{"title":"t"}""", id)).Status.ShouldBe(ApplyStatus.Applied);
        var big = new string('x', 900);

        Apply(f, f.A.Update("blob", id, $$"""{"a":"{{big}}"}""")).Rejection!.Code.ShouldBe(RejectionCodes.RecordTooLarge);
        Apply(f, f.A.Create("blob", $$"""{"a":"{{big}}"}""")).Rejection!.Code.ShouldBe(RejectionCodes.RecordTooLarge);

        f.Applied(f.A.Update("blob", id, $$"""{"a":"{{big}}","b":"{{big}}"}"""));
        Apply(f, f.A.Update("blob", id, """{"a":"small"}""")).Status.ShouldBe(ApplyStatus.Applied);
    }

    [Fact]
    public void WithoutLimits_NothingIsRefused()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();

        f.Applied(f.A.Create("person", "{\"tags\":[" + string.Join(",", Enumerable.Range(0, 50).Select(i => $"\"{i}\"")) + "]}", id));
        f.Applied(f.A.Add("person", id, "tags", "\"more\""));
    }

    private static ApplyResult Apply(EngineFixture f, ConvergeAction action)
    {
        f.A.Clock.Observe(action.Hlc);
        f.B.Clock.Observe(action.Hlc);
        return MergeEngine.Apply(f.State, action, new ApplyContext("alice", Small));
    }
}
