using Converge.Core.Merge;

namespace Converge.Core.Tests.Merge;

public sealed class UniqueValueTests
{
    [Fact]
    public void Create_WithValueHeldByLiveRecord_IsRejected()
    {
        var f = new EngineFixture();
        f.Applied(f.A.Create("person", """{"email":"a@example.com"}"""));
        var before = f.Export();

        var result = f.Apply(f.B.Create("person", """{"email":"a@example.com","name":"other"}"""));

        result.Rejection!.Code.ShouldBe(RejectionCodes.UniqueViolation);
        f.Export().ShouldBe(before);
    }

    [Fact]
    public void Update_ToHeldValue_IsRejected_ButToOwnValueIsFine()
    {
        var f = new EngineFixture();
        var a = f.A.Create("person", """{"email":"a@example.com"}""");
        var b = f.A.Create("person", """{"email":"b@example.com"}""");
        f.Applied(a);
        f.Applied(b);

        f.Apply(f.B.Update("person", b.Record, """{"email":"a@example.com"}""")).Rejection!.Code.ShouldBe(RejectionCodes.UniqueViolation);
        f.Applied(f.B.Update("person", a.Record, """{"email":"a@example.com","name":"same"}"""));
    }

    [Fact]
    public void Update_ChangingValue_FreesTheOldOne()
    {
        var f = new EngineFixture();
        var a = f.A.Create("person", """{"email":"a@example.com"}""");
        f.Applied(a);

        f.Applied(f.A.Update("person", a.Record, """{"email":"new@example.com"}"""));

        f.Apply(f.B.Create("person", """{"email":"a@example.com"}""")).Status.ShouldBe(ApplyStatus.Applied);
        f.Apply(f.B.Create("person", """{"email":"new@example.com"}""")).Rejection!.Code.ShouldBe(RejectionCodes.UniqueViolation);
    }

    [Fact]
    public void Update_ThatLosesLastWriterWins_DoesNotClaimTheValue()
    {
        var f = new EngineFixture();
        var a = f.A.Create("person", """{"email":"a@example.com"}""");
        f.Applied(a);
        var stale = f.A.Update("person", a.Record, """{"email":"stale@example.com"}""");
        f.Applied(f.B.Update("person", a.Record, """{"email":"fresh@example.com"}"""));

        f.Applied(stale).Status.ShouldBe(ApplyStatus.NoOp);

        f.Apply(f.B.Create("person", """{"email":"stale@example.com"}""")).Status.ShouldBe(ApplyStatus.Applied);
    }
}
