using Converge.Core.Merge;

namespace Converge.Core.Tests.Merge;

public sealed class UniqueIdentityTests
{
    [Fact]
    public void Create_WithHeldIdentityValue_BecomesAliasOfTheEarlierRecord()
    {
        var f = new EngineFixture();
        var first = Guid.CreateVersion7();
        var second = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"ssn":123,"name":"Grisha"}""", first));

        var result = f.Applied(f.B.Create("person", """{"ssn":123,"age":30}""", second));

        result.Status.ShouldBe(ApplyStatus.Applied);
        result.UnifiedWith.ShouldBe(first);
        f.State.GetAlias(new RecordKey("person", second)).ShouldBe(first);
        f.View("person", second).ShouldBe($$"""{"id":"{{first}}","age":30,"name":"Grisha","ssn":123}""");
        f.Export().ShouldContain($"\"aliases\":{{\"person\":{{\"{second}\":\"{first}\"}}}}");
    }

    [Fact]
    public void WritesThroughAlias_ReachTheCanonicalRecord()
    {
        var f = new EngineFixture();
        var first = Guid.CreateVersion7();
        var second = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"ssn":123}""", first));
        f.Applied(f.B.Create("person", """{"ssn":123}""", second));

        f.Applied(f.B.Update("person", second, """{"name":"via alias"}"""));
        f.Applied(f.B.Add("person", second, "tags", "\"t\""));
        f.Applied(f.B.Increment("person", second, "visits", 2));

        f.View("person", first).ShouldBe($$"""{"id":"{{first}}","name":"via alias","ssn":123,"tags":["t"],"visits":2}""");
        f.Applied(f.B.Delete("person", second));
        f.View("person", first).ShouldBeNull();
    }

    [Fact]
    public void CanonicalChoice_IsLogOrder_SameOnEveryReplica()
    {
        var one = new EngineFixture();
        var two = new EngineFixture();
        var x = one.A.Create("person", """{"ssn":7,"name":"x"}""");
        var y = one.B.Create("person", """{"ssn":7,"age":1}""");

        foreach (var fixture in new[] { one, two })
        {
            fixture.Applied(y);
            fixture.Applied(x);
        }

        one.Export().ShouldBe(two.Export());
        one.State.GetAlias(new RecordKey("person", x.Record)).ShouldBe(y.Record);
    }

    [Fact]
    public void Create_WithoutIdentityAttribute_StaysTwoRecords()
    {
        var f = new EngineFixture();

        f.Applied(f.A.Create("person", """{"name":"Grisha"}""")).UnifiedWith.ShouldBeNull();
        f.Applied(f.B.Create("person", """{"name":"Grisha"}""")).UnifiedWith.ShouldBeNull();

        f.State.RecordCount.ShouldBe(2);
    }

    [Fact]
    public void Create_MatchingTwoRecordsByIdentity_IsIdentityConflict()
    {
        var f = new EngineFixture(withSchema: false);
        f.Applied(f.A.Schema("""{"thing":{"fields":{"a":{"type":"string","unique":"identity"},"b":{"type":"string","unique":"identity"}}}}"""));
        f.Applied(f.A.Create("thing", """{"a":"1"}"""));
        f.Applied(f.A.Create("thing", """{"b":"2"}"""));

        f.Apply(f.B.Create("thing", """{"a":"1","b":"2"}""")).Rejection!.Code.ShouldBe(RejectionCodes.IdentityConflict);
    }

    [Fact]
    public void Create_IdentityOfDeletedRecord_MakesANewRecord()
    {
        var f = new EngineFixture();
        var first = f.A.Create("person", """{"ssn":9}""");
        f.Applied(first);
        f.Applied(f.A.Delete("person", first.Record));

        var again = f.B.Create("person", """{"ssn":9}""");
        f.Applied(again).UnifiedWith.ShouldBeNull();

        f.View("person", again.Record).ShouldBe($$"""{"id":"{{again.Record}}","ssn":9}""");
    }

    [Fact]
    public void Update_ToAnIdentityHeldElsewhere_IsUniqueViolation()
    {
        var f = new EngineFixture();
        f.Applied(f.A.Create("person", """{"ssn":1}"""));
        var other = f.A.Create("person", """{"ssn":2}""");
        f.Applied(other);

        f.Apply(f.B.Update("person", other.Record, """{"ssn":1}""")).Rejection!.Code.ShouldBe(RejectionCodes.UniqueViolation);
    }

    [Fact]
    public void Unify_SetsOfBothCreates_AreUnited()
    {
        var f = new EngineFixture();
        var first = f.A.Create("person", """{"ssn":5,"tags":["math"]}""");
        var second = f.B.Create("person", """{"ssn":5,"tags":["poetry"]}""");

        f.Applied(first);
        f.Applied(second).Conflicts.ShouldBeEmpty();

        f.View("person", first.Record).ShouldBe($$"""{"id":"{{first.Record}}","ssn":5,"tags":["math","poetry"]}""");
    }
}
