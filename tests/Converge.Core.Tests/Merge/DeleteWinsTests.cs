using Converge.Core.Merge;

namespace Converge.Core.Tests.Merge;

public sealed class DeleteWinsTests
{
    [Fact]
    public void Update_AfterDelete_IsNoOpReportedAsConflict()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"name":"Grisha"}""", id));
        var delete = f.B.Delete("person", id);
        f.Applied(delete);

        var result = f.Applied(f.A.Update("person", id, """{"name":"renamed"}"""));

        result.Status.ShouldBe(ApplyStatus.NoOp);
        var conflict = result.Conflicts.ShouldHaveSingleItem();
        conflict.Kind.ShouldBe(ConflictKind.RecordDeleted);
        conflict.Attempted!.Value.GetString().ShouldBe("renamed");
        conflict.Winning.ShouldBeNull();
        conflict.WinningHlc.ShouldBe(delete.Hlc);
        f.View("person", id).ShouldBeNull();
    }

    [Fact]
    public void Delete_OlderThanTheLastUpdate_StillWins()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"name":"Grisha"}""", id));
        var oldDelete = f.A.Delete("person", id);
        f.Applied(f.B.Update("person", id, """{"name":"newer"}"""));

        f.Applied(oldDelete).Status.ShouldBe(ApplyStatus.Applied);

        f.View("person", id).ShouldBeNull();
    }

    [Fact]
    public void Delete_Twice_SecondIsNoOpWithoutConflict()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"name":"Grisha"}""", id));
        f.Applied(f.A.Delete("person", id));

        var result = f.Applied(f.B.Delete("person", id));

        result.Status.ShouldBe(ApplyStatus.NoOp);
        result.Conflicts.ShouldBeEmpty();
    }

    [Fact]
    public void SetAndCounterWrites_OnTombstone_AreNoOpsWithConflicts()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"name":"Grisha"}""", id));
        f.Applied(f.A.Delete("person", id));

        f.Applied(f.B.Add("person", id, "tags", "\"x\"")).Conflicts.ShouldHaveSingleItem().Kind.ShouldBe(ConflictKind.RecordDeleted);
        f.Applied(f.B.Increment("person", id, "visits", 1)).Conflicts.ShouldHaveSingleItem().Kind.ShouldBe(ConflictKind.RecordDeleted);
        f.Applied(f.B.Create("person", """{"name":"again"}""", id)).Status.ShouldBe(ApplyStatus.NoOp);
        f.View("person", id).ShouldBeNull();
    }

    [Fact]
    public void Delete_FreesTheRecordsUniqueValues()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"email":"a@example.com"}""", id));
        f.Applied(f.A.Delete("person", id));

        f.Apply(f.B.Create("person", """{"email":"a@example.com"}""")).Status.ShouldBe(ApplyStatus.Applied);
    }
}
