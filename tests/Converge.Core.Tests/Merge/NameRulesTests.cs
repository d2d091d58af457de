using Converge.Core.Merge;

namespace Converge.Core.Tests.Merge;

/// <summary>New actions may not name a field like the id, in any case, nor two names that differ only by case; the log from before still replays.</summary>
public sealed class NameRulesTests
{
    [Theory]
    [InlineData("""{"c":{"fields":{"Id":{"type":"uuid"}}}}""")]
    [InlineData("""{"c":{"open":true,"fields":{"ID":{"type":"string"}}}}""")]
    public void Schema_FieldNamedIdInAnyCase_IsReservedField(string collections)
    {
        var f = new EngineFixture();

        f.Apply(f.A.Schema(collections)).Rejection!.Code.ShouldBe(RejectionCodes.ReservedField);
    }

    [Theory]
    [InlineData("""{"c":{"fields":{"name":{"type":"string"},"Name":{"type":"string"}}}}""")]
    [InlineData("""{"c":{"fields":{}},"C":{"fields":{}}}""")]
    public void Schema_NamesThatDifferOnlyByCase_IsInvalidSchema(string collections)
    {
        var f = new EngineFixture();

        f.Apply(f.A.Schema(collections)).Rejection!.Code.ShouldBe(RejectionCodes.InvalidSchema);
    }

    [Theory]
    [InlineData("""{"person":{"fields":{"Name":{"type":"string"}}}}""")]
    [InlineData("""{"Person":{"fields":{}}}""")]
    public void Schema_NameThatDiffersFromAnExistingOneOnlyByCase_IsSchemaConflict(string addition)
    {
        var f = new EngineFixture();
        var before = f.Export();

        f.Apply(f.A.Schema(addition)).Rejection!.Code.ShouldBe(RejectionCodes.SchemaConflict);
        f.Export().ShouldBe(before);
    }

    [Fact]
    public void LoggedActions_FromBeforeTheRules_StillReplay()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();

        f.Replay(f.A.Schema("""{"legacy":{"open":true,"fields":{"name":{"type":"string"},"Name":{"type":"string"}}}}""")).Status.ShouldBe(ApplyStatus.Applied);
        f.Replay(f.A.Create("legacy", """{"Id":"x","NAME":"y"}""", id)).Status.ShouldBe(ApplyStatus.Applied);

        f.View("legacy", id).ShouldBe($$"""{"id":"{{id}}","Id":"x","NAME":"y"}""");
    }
}
