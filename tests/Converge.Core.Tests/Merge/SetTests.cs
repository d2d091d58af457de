using Converge.Core.Merge;

namespace Converge.Core.Tests.Merge;

public sealed class SetTests
{
    [Fact]
    public void AddAndRemove_ConcurrentOnOneElement_NewerStampWins()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"tags":["a"]}""", id));
        var remove = f.A.Remove("person", id, "tags", "\"a\"");
        var add = f.B.Add("person", id, "tags", "\"a\"");

        f.Applied(add);
        var late = f.Applied(remove);

        late.Status.ShouldBe(ApplyStatus.NoOp);
        late.Conflicts.ShouldHaveSingleItem().Kind.ShouldBe(ConflictKind.LostToNewerWrite);
        f.View("person", id).ShouldBe($$"""{"id":"{{id}}","tags":["a"]}""");
    }

    [Fact]
    public void Elements_AreSortedCanonicallyAndDeduplicated()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"tags":["b","a","b"]}""", id));

        f.Applied(f.A.Add("person", id, "tags", "\"c\""));

        f.View("person", id).ShouldBe($$"""{"id":"{{id}}","tags":["a","b","c"]}""");
    }

    [Fact]
    public void Elements_NegativeAndPositiveZero_AreOneElement()
    {
        var f = new EngineFixture(withSchema: false);
        f.Applied(f.A.Schema("""{"reading":{"fields":{"values":{"type":"double","cardinality":"many"}}}}"""));
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("reading", """{"values":[-0.0,1]}""", id));

        f.Applied(f.A.Remove("reading", id, "values", "0"));

        f.View("reading", id).ShouldBe($$"""{"id":"{{id}}","values":[1]}""");
    }

    [Fact]
    public void Remove_OfAnElementNeverAdded_StillBeatsAnOlderAdd()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"name":"x"}""", id));
        var olderAdd = f.A.Add("person", id, "tags", "\"z\"");
        var remove = f.B.Remove("person", id, "tags", "\"z\"");

        f.Applied(remove);
        f.Applied(olderAdd);

        f.View("person", id).ShouldBe($$"""{"id":"{{id}}","name":"x"}""");
    }

    [Fact]
    public void Remove_FromGrowOnlySet_IsRejected()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"badges":["gold"]}""", id));

        f.Apply(f.A.Remove("person", id, "badges", "\"gold\"")).Rejection!.Code.ShouldBe(RejectionCodes.InvalidAction);
        f.Applied(f.A.Add("person", id, "badges", "\"silver\""));
        f.View("person", id).ShouldBe($$"""{"id":"{{id}}","badges":["gold","silver"]}""");
    }

    [Fact]
    public void Update_OfASet_ReplacesItsElements()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"tags":["a","b"]}""", id));

        f.Applied(f.A.Update("person", id, """{"tags":["b","c"]}"""));

        f.View("person", id).ShouldBe($$"""{"id":"{{id}}","tags":["b","c"]}""");
    }

    [Fact]
    public void AddOrRemove_OnScalarField_IsRejected()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"name":"x"}""", id));

        f.Apply(f.A.Add("person", id, "name", "\"y\"")).Rejection!.Code.ShouldBe(RejectionCodes.InvalidAction);
        f.Apply(f.A.Add("person", id, "tags", "1")).Rejection!.Code.ShouldBe(RejectionCodes.TypeMismatch);
        f.Apply(f.A.Add("person", id, "nope", "1")).Rejection!.Code.ShouldBe(RejectionCodes.UnknownField);
    }

    [Fact]
    public void Update_ReplacingTheSet_BeatsOlderAddsWhateverTheirOrder()
    {
        var left = new EngineFixture();
        var right = new EngineFixture();
        var id = Guid.CreateVersion7();
        var create = left.A.Create("person", """{"tags":["a"]}""", id);
        var olderAdd = left.A.Add("person", id, "tags", "\"b\"");
        left.Time.Advance(TimeSpan.FromMilliseconds(1));
        var replace = left.B.Update("person", id, """{"tags":["c"]}""");

        foreach (var action in new Converge.Core.Actions.ConvergeAction[] { create, olderAdd, replace })
        {
            left.Applied(action);
        }

        foreach (var action in new Converge.Core.Actions.ConvergeAction[] { create, replace, olderAdd })
        {
            right.Applied(action);
        }

        left.View("person", id).ShouldBe($$"""{"id":"{{id}}","tags":["c"]}""");
        right.Export().ShouldBe(left.Export());
    }

    [Fact]
    public void Elements_SameValueWrittenAnotherWay_AreOneElement()
    {
        var f = new EngineFixture(withSchema: false);
        f.Applied(f.A.Schema("""{"thing":{"fields":{"ids":{"type":"uuid","cardinality":"many"}}}}"""));
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("thing", """{"ids":["019aa5e0-7c3b-7d2e-9a4f-0123456789ab"]}""", id));

        f.Applied(f.A.Remove("thing", id, "ids", "\"019AA5E0-7C3B-7D2E-9A4F-0123456789AB\""));

        f.View("thing", id).ShouldBe($$"""{"id":"{{id}}"}""");
    }

    [Fact]
    public void UpdateOrOverwrite_OfGrowOnlySet_OnlyAdds()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"badges":["gold"]}""", id));

        f.Applied(f.A.Update("person", id, """{"badges":["silver"]}"""));
        f.Applied(f.A.Create("person", """{"name":"x"}""", id, Converge.Core.Actions.OnConflict.Overwrite));

        f.View("person", id).ShouldBe($$"""{"id":"{{id}}","badges":["gold","silver"],"name":"x"}""");
    }
}
