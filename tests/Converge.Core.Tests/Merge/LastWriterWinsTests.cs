using Converge.Core.Merge;
using Converge.Testing;

namespace Converge.Core.Tests.Merge;

public sealed class LastWriterWinsTests
{
    [Fact]
    public void Update_NewerStamp_TakesTheField()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"name":"Grisha","age":30}""", id));

        f.Applied(f.B.Update("person", id, """{"age":31}""")).Status.ShouldBe(ApplyStatus.Applied);

        f.View("person", id).ShouldBe($$"""{"id":"{{id}}","age":31,"name":"Grisha"}""");
    }

    [Fact]
    public void Update_OlderStampArrivingLater_LosesAndReportsTheWinner()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"name":"Grisha"}""", id));
        var stale = f.A.Update("person", id, """{"name":"offline edit"}""");
        f.Time.Advance(TimeSpan.FromSeconds(1));
        var fresh = f.B.Update("person", id, """{"name":"online edit"}""");

        f.Applied(fresh);
        var result = f.Applied(stale);

        result.Status.ShouldBe(ApplyStatus.NoOp);
        var conflict = result.Conflicts.ShouldHaveSingleItem();
        conflict.Kind.ShouldBe(ConflictKind.LostToNewerWrite);
        conflict.Field.ShouldBe("name");
        conflict.Attempted!.Value.GetString().ShouldBe("offline edit");
        conflict.Winning!.Value.GetString().ShouldBe("online edit");
        conflict.WinningHlc.ShouldBe(fresh.Hlc);
        f.View("person", id)!.ShouldContain("online edit");
    }

    [Fact]
    public void Update_PerField_OnlyTheLosingFieldConflicts()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"name":"Grisha","age":1}""", id));
        var stale = f.A.Update("person", id, """{"name":"old","age":2}""");
        f.Applied(f.B.Update("person", id, """{"name":"new"}"""));

        var result = f.Applied(stale);

        result.Status.ShouldBe(ApplyStatus.Applied);
        result.Conflicts.ShouldHaveSingleItem().Field.ShouldBe("name");
        f.View("person", id).ShouldBe($$"""{"id":"{{id}}","age":2,"name":"new"}""");
    }

    [Fact]
    public void Update_Null_ClearsTheField()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"name":"Grisha","age":1}""", id));

        f.Applied(f.A.Update("person", id, """{"age":null}"""));

        f.View("person", id).ShouldBe($$"""{"id":"{{id}}","name":"Grisha"}""");
    }

    [Fact]
    public void Updates_EitherOrder_SameResult()
    {
        var first = new EngineFixture();
        var id = Guid.CreateVersion7();
        var create = first.A.Create("person", """{"name":"x"}""", id);
        var u1 = first.A.Update("person", id, """{"name":"one"}""");
        var u2 = first.B.Update("person", id, """{"name":"two"}""");
        var second = new EngineFixture();

        foreach (var action in new Converge.Core.Actions.ConvergeAction[] { create, u1, u2 })
        {
            first.Apply(action);
        }

        foreach (var action in new Converge.Core.Actions.ConvergeAction[] { create, u2, u1 })
        {
            second.Apply(action);
        }

        second.Export().ShouldBe(first.Export());
    }

    [Fact]
    public void Update_LosingWithTheWinnersOwnValue_IsNoConflict()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"name":"Grisha"}""", id));
        var stale = f.A.Update("person", id, """{"name":"same"}""");
        f.Applied(f.B.Update("person", id, """{"name":"same"}"""));

        f.Applied(stale).Conflicts.ShouldBeEmpty();
    }
}
