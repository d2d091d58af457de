using Converge.Core.Merge;

namespace Converge.Core.Tests.Merge;

public sealed class CounterTests
{
    [Fact]
    public void Increments_AddUpWhateverTheirStamps()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"visits":10}""", id));
        var early = f.A.Increment("person", id, "visits", 5);
        f.Applied(f.B.Increment("person", id, "visits", -2));

        f.Applied(early);

        f.View("person", id).ShouldBe($$"""{"id":"{{id}}","visits":13}""");
    }

    [Fact]
    public void DecimalCounter_KeepsExactValues()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"balance":0.1}""", id));

        f.Applied(f.A.Increment("person", id, "balance", 0.2m));

        f.View("person", id).ShouldBe($$"""{"id":"{{id}}","balance":0.3}""");
    }

    [Fact]
    public void Increment_Rejections_HaveStableCodes()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"visits":9223372036854775800}""", id));

        f.Apply(f.A.Increment("person", id, "visits", 0.5m)).Rejection!.Code.ShouldBe(RejectionCodes.TypeMismatch);
        f.Apply(f.A.Increment("person", id, "visits", 100)).Rejection!.Code.ShouldBe(RejectionCodes.CounterOverflow);
        f.Apply(f.A.Increment("person", id, "age", 1)).Rejection!.Code.ShouldBe(RejectionCodes.InvalidAction);
        f.Apply(f.A.Update("person", id, """{"visits":3}""")).Rejection!.Code.ShouldBe(RejectionCodes.InvalidAction);
        f.Apply(f.A.Increment("person", Guid.CreateVersion7(), "visits", 1)).Rejection!.Code.ShouldBe(RejectionCodes.NotFound);
    }

    [Theory]
    [InlineData("10000000000000000000")]
    [InlineData("-18446744073709551615")]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("79228162514264337593543950335")]
    public void LongCounter_DeltaBeyond64Bits_IsRejectedOutOfRange_AndChangesNothing(string delta)
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"visits":-9000000000000000000}""", id));
        var before = f.Export();

        var result = f.Apply(f.A.Increment("person", id, "visits", decimal.Parse(delta, System.Globalization.CultureInfo.InvariantCulture)));

        result.Rejection!.Code.ShouldBe(RejectionCodes.OutOfRange);
        f.Export().ShouldBe(before);
    }

    [Fact]
    public void DecimalCounter_DeltaBeyond64Bits_Adds()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"balance":0}""", id));

        f.Applied(f.A.Increment("person", id, "balance", 1e19m));

        f.View("person", id).ShouldBe($$"""{"id":"{{id}}","balance":10000000000000000000}""");
    }

    [Fact]
    public void LongCounter_WholeDecimalDelta_AddsWithoutScale()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"visits":13}""", id));

        f.Applied(f.A.Increment("person", id, "visits", 5.0m));

        f.View("person", id).ShouldBe($$"""{"id":"{{id}}","visits":18}""");
    }

    [Fact]
    public void Create_CounterAtZero_ShowsZero()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();

        f.Applied(f.A.Create("person", """{"visits":0}""", id));

        f.View("person", id).ShouldBe($$"""{"id":"{{id}}","visits":0}""");
    }

    [Fact]
    public void Increment_OnTombstone_ReportsTheDelta()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"visits":1}""", id));
        f.Applied(f.A.Delete("person", id));

        var conflict = f.Applied(f.B.Increment("person", id, "visits", 4)).Conflicts.ShouldHaveSingleItem();

        conflict.Attempted!.Value.GetRawText().ShouldBe("4");
    }
}
