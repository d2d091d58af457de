using Converge.Core.Merge;

namespace Converge.Core.Tests.Merge;

public sealed class OwnedRecordTests
{
    [Fact]
    public void UpdateOrDelete_ByAnotherPrincipal_IsRejectedAndChangesNothing()
    {
        var f = new EngineFixture();
        var note = f.A.Create("note", """{"text":"mine"}""");
        f.Applied(note, "alice");
        var before = f.Export();

        f.Apply(f.B.Update("note", note.Record, """{"text":"theirs"}"""), "mallory").Rejection!.Code.ShouldBe(RejectionCodes.NotOwner);
        f.Apply(f.B.Delete("note", note.Record), "mallory").Rejection!.Code.ShouldBe(RejectionCodes.NotOwner);
        f.Apply(f.B.Create("note", """{"text":"merge"}""", note.Record), "mallory").Rejection!.Code.ShouldBe(RejectionCodes.NotOwner);

        f.Export().ShouldBe(before);
    }

    [Fact]
    public void UpdateOrDelete_ByTheOwner_IsApplied()
    {
        var f = new EngineFixture();
        var note = f.A.Create("note", """{"text":"mine"}""");
        f.Applied(note, "alice");

        f.Applied(f.A.Update("note", note.Record, """{"text":"edited"}"""), "alice").Status.ShouldBe(ApplyStatus.Applied);
        f.Applied(f.A.Delete("note", note.Record), "alice").Status.ShouldBe(ApplyStatus.Applied);
    }

    [Fact]
    public void SharedCollection_AnyPrincipalMayChangeIt()
    {
        var f = new EngineFixture();
        var person = f.A.Create("person", """{"name":"x"}""");
        f.Applied(person, "alice");

        f.Applied(f.B.Update("person", person.Record, """{"name":"y"}"""), "bob").Status.ShouldBe(ApplyStatus.Applied);
    }

    [Fact]
    public void UnknownLocalPrincipal_LeavesTheCheckToTheServer()
    {
        var f = new EngineFixture();
        var note = f.A.Create("note", """{"text":"mine"}""");
        f.Applied(note, "alice");

        f.Apply(f.B.Update("note", note.Record, """{"text":"offline"}"""), principal: null).Status.ShouldBe(ApplyStatus.Applied);
    }

    [Fact]
    public void WriteByAnotherPrincipal_ToDeletedOwnedRecord_IsStillNotOwner()
    {
        var f = new EngineFixture();
        var note = f.A.Create("note", """{"text":"mine"}""");
        f.Applied(note, "alice");
        f.Applied(f.A.Delete("note", note.Record), "alice");

        f.Apply(f.B.Update("note", note.Record, """{"text":"x"}"""), "mallory").Rejection!.Code.ShouldBe(RejectionCodes.NotOwner);
    }
}
