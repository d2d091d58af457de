using Converge.Core.Merge;

namespace Converge.Core.Tests.Merge;

public sealed class ValidationTests
{
    [Theory]
    [InlineData("name", "1")]
    [InlineData("age", "1.5")]
    [InlineData("age", "\"1\"")]
    [InlineData("age", "9223372036854775808")]
    [InlineData("score", "\"high\"")]
    [InlineData("price", "true")]
    [InlineData("active", "0")]
    [InlineData("born", "\"yesterday\"")]
    [InlineData("born", "\"2026-11-21\"")]
    [InlineData("born", "\"2026-11-21T06:53:36\"")]
    [InlineData("born", "\"2026-11-21T06:53:36+0100\"")]
    [InlineData("born", "\"2026-11-21T06:53:36.1234567890Z\"")]
    [InlineData("token", "\"not-a-uuid\"")]
    [InlineData("friend", "42")]
    [InlineData("tags", "\"a\"")]
    [InlineData("tags", "[1]")]
    [InlineData("tags", "[null]")]
    [InlineData("visits", "1.5")]
    public void Create_ValueOfWrongType_IsTypeMismatch(string field, string value)
    {
        var f = new EngineFixture();

        var result = f.Apply(f.A.Create("person", $$"""{"{{field}}":{{value}}}"""));

        result.Rejection!.Code.ShouldBe(RejectionCodes.TypeMismatch);
        result.Rejection.Message.ShouldContain(field);
        f.State.RecordCount.ShouldBe(0);
    }

    [Theory]
    [InlineData("name", "\"Grisha\"")]
    [InlineData("age", "-3")]
    [InlineData("score", "1.5e3")]
    [InlineData("price", "19.99")]
    [InlineData("active", "false")]
    [InlineData("born", "\"2026-11-21T06:53:36.3972959+01:00\"")]
    [InlineData("born", "\"2026-11-21T06:53:36Z\"")]
    [InlineData("born", "\"2026-11-21T06:53:36.397295996-05:30\"")]
    [InlineData("token", "\"019aa5e0-7c3b-7d2e-9a4f-0123456789ab\"")]
    [InlineData("extra", "{\"any\":[1,{\"thing\":null}]}")]
    [InlineData("name", "null")]
    public void Create_ValueOfRightType_IsApplied(string field, string value)
    {
        var f = new EngineFixture();

        f.Apply(f.A.Create("person", $$"""{"{{field}}":{{value}}}""")).Status.ShouldBe(ApplyStatus.Applied);
    }

    [Fact]
    public void Actions_OnUnknownCollectionOrField_AreRejected()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"name":"x"}""", id));

        f.Apply(f.A.Create("animal", """{"name":"x"}""")).Rejection!.Code.ShouldBe(RejectionCodes.UnknownCollection);
        f.Apply(f.A.Delete("animal", id)).Rejection!.Code.ShouldBe(RejectionCodes.UnknownCollection);
        f.Apply(f.A.Update("person", id, """{"nickname":"x"}""")).Rejection!.Code.ShouldBe(RejectionCodes.UnknownField);
    }

    [Fact]
    public void OpenCollection_TakesUndeclaredFieldsButChecksDeclaredOnes()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();

        f.Applied(f.A.Create("blob", """{"title":"t","anything":{"x":[1,2]}}""", id));
        f.Apply(f.A.Update("blob", id, """{"title":5}""")).Rejection!.Code.ShouldBe(RejectionCodes.TypeMismatch);

        f.View("blob", id).ShouldBe($$"""{"id":"{{id}}","anything":{"x":[1,2]},"title":"t"}""");
    }

    [Fact]
    public void OpenCollection_UndeclaredFieldThatDiffersFromADeclaredOneOnlyByCase_IsRefused()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("blob", """{"title":"t"}""", id));
        var before = f.Export();

        f.Apply(f.A.Update("blob", id, """{"Title":"T"}""")).Rejection!.Code.ShouldBe(RejectionCodes.UnknownField);
        f.Apply(f.A.Create("blob", """{"TITLE":"T"}""")).Rejection!.Code.ShouldBe(RejectionCodes.UnknownField);

        f.Export().ShouldBe(before);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("Id")]
    [InlineData("ID")]
    public void OpenCollection_FieldNamedIdInAnyCase_IsReservedField(string name)
    {
        var f = new EngineFixture();
        var before = f.Export();

        f.Apply(f.A.Create("blob", $$"""{"{{name}}":"{{Guid.CreateVersion7()}}"}""")).Rejection!.Code.ShouldBe(RejectionCodes.ReservedField);

        f.Export().ShouldBe(before);
    }

    [Fact]
    public void UpdateOrDelete_OfMissingRecord_IsNotFound()
    {
        var f = new EngineFixture();

        f.Apply(f.A.Update("person", Guid.CreateVersion7(), """{"name":"x"}""")).Rejection!.Code.ShouldBe(RejectionCodes.NotFound);
        f.Apply(f.A.Delete("person", Guid.CreateVersion7())).Rejection!.Code.ShouldBe(RejectionCodes.NotFound);
        f.Apply(f.A.Add("person", Guid.CreateVersion7(), "tags", "\"x\"")).Rejection!.Code.ShouldBe(RejectionCodes.NotFound);
    }

    [Fact]
    public void SchemaAction_ChangingAField_IsRejectedAndChangesNothing()
    {
        var f = new EngineFixture();
        var before = f.Export();

        f.Apply(f.B.Schema("""{"person":{"fields":{"age":{"type":"string"}}}}""")).Rejection!.Code.ShouldBe(RejectionCodes.SchemaConflict);

        f.Export().ShouldBe(before);
    }
}
