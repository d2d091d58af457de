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

    [Theory]
    [InlineData("""{"amount":{"type":"decimal","unique":"value"}}""", "1.0", "1.00")]
    [InlineData("""{"amount":{"type":"uuid","unique":"value"}}""", "\"019aa5e0-7c3b-7d2e-9a4f-0123456789ab\"", "\"019AA5E0-7C3B-7D2E-9A4F-0123456789AB\"")]
    [InlineData("""{"amount":{"type":"instant","unique":"value"}}""", "\"2026-11-21T06:00:00Z\"", "\"2026-11-21T07:00:00+01:00\"")]
    [InlineData("""{"amount":{"type":"double","unique":"value"}}""", "1e2", "100.0")]
    [InlineData("""{"amount":{"type":"double","unique":"value"}}""", "-0.0", "0.0")]
    [InlineData("""{"amount":{"type":"double","unique":"value"}}""", "0", "-0e5")]
    [InlineData("""{"amount":{"type":"decimal","unique":"value"}}""", "-0.0", "0")]
    [InlineData("""{"amount":{"type":"decimal","unique":"value"}}""", "1e2", "100.000")]
    [InlineData("""{"amount":{"type":"long","unique":"value"}}""", "-0", "0")]
    [InlineData("""{"amount":{"type":"instant","unique":"value"}}""", "\"2026-11-21T06:00:00.5Z\"", "\"2026-11-21t06:00:00.500000000z\"")]
    [InlineData("""{"amount":{"type":"string","unique":"value"}}""", "\"\\u00e9\"", "\"\u00e9\"")]
    [InlineData("""{"amount":{"type":"ref","target":"thing","unique":"value"}}""", "\"019aa5e0-7c3b-7d2e-9a4f-0123456789ab\"", "\"019AA5E0-7C3B-7D2E-9A4F-0123456789AB\"")]
    public void Create_SameValueWrittenAnotherWay_IsUniqueViolation(string fields, string first, string second)
    {
        var f = new EngineFixture(withSchema: false);
        f.Applied(f.A.Schema("{\"thing\":{\"fields\":" + fields + "}}"));
        f.Applied(f.A.Create("thing", $$"""{"amount":{{first}}}"""));

        f.Apply(f.B.Create("thing", $$"""{"amount":{{second}}}""")).Rejection!.Code.ShouldBe(RejectionCodes.UniqueViolation);
    }
}
