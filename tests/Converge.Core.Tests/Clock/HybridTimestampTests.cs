using System.Globalization;
using Converge.Core.Clock;
using FsCheck;
using FsCheck.Fluent;

namespace Converge.Core.Tests.Clock;

public sealed class HybridTimestampTests
{
    private const string DocumentedExample = "2026-11-21T06:53:36.397295996Z/89F9DD8514914648989315B2D30D7BE5";

    [Fact]
    public void Parse_DocumentedExample_ReadsEveryPart()
    {
        var stamp = HybridTimestamp.Parse(DocumentedExample);

        stamp.Physical.ShouldBe(new DateTimeOffset(2026, 11, 21, 6, 53, 36, TimeSpan.Zero).AddTicks(3972959));
        stamp.Logical.ShouldBe(96);
        stamp.Node.ToString().ShouldBe("89F9DD8514914648989315B2D30D7BE5");
        stamp.ToString().ShouldBe(DocumentedExample);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-11-21T06:53:36.397295996Z")]
    [InlineData("2026-11-21T06:53:36.39729599Z/89F9DD8514914648989315B2D30D7BE5")]
    [InlineData("2026-11-21 06:53:36.397295996Z/89F9DD8514914648989315B2D30D7BE5")]
    [InlineData("2026-13-21T06:53:36.397295996Z/89F9DD8514914648989315B2D30D7BE5")]
    [InlineData("2026-11-21T06:53:36.397295996Z/89F9DD8514914648989315B2D30D7BEG")]
    [InlineData("2026-11-21T06:53:36.397295996Z/89F9DD8514914648989315B2D30D7BE5 ")]
    [InlineData("2026-11-21T06:53:36.3972959-6Z/89F9DD8514914648989315B2D30D7BE5")]
    [InlineData("1969-12-31T23:59:59.000000000Z/89F9DD8514914648989315B2D30D7BE5")]
    [InlineData("2300-01-01T00:00:00.000000000Z/89F9DD8514914648989315B2D30D7BE5")]
    public void TryParse_MalformedText_Fails(string text)
    {
        HybridTimestamp.TryParse(text.AsSpan(), out _).ShouldBeFalse();
        Should.Throw<FormatException>(() => HybridTimestamp.Parse(text.AsSpan()));
    }

    [Fact]
    public void Parse_LowerCaseNode_FormatsUpperCase()
    {
        var stamp = HybridTimestamp.Parse(DocumentedExample.ToLowerInvariant().Replace("t", "T", StringComparison.Ordinal).Replace("z/", "Z/", StringComparison.Ordinal));

        stamp.ToString().ShouldBe(DocumentedExample);
    }

    [Fact]
    public void CompareTo_SameTime_OrdersByNode()
    {
        var low = new HybridTimestamp(1_000, new NodeId(1));
        var high = new HybridTimestamp(1_000, new NodeId(2));

        (low < high).ShouldBeTrue();
        (new HybridTimestamp(999, new NodeId(9)) < low).ShouldBeTrue();
    }

    [Fact]
    public void Default_IsMinValueAndInvalid()
    {
        default(HybridTimestamp).IsValid.ShouldBeFalse();
        (default(HybridTimestamp) < new HybridTimestamp(1, default)).ShouldBeTrue();
    }

    [Fact]
    public void ParseFormat_AnyStamp_RoundTrips()
    {
        var stamps = from nanos in Gen.Choose(0, int.MaxValue).Two()
                     from node in Gen.Choose(int.MinValue, int.MaxValue).Four()
                     select new HybridTimestamp(
                         ((long)nanos.Item1 * nanos.Item2) % HybridTimestamp.MaxNanoseconds,
                         new NodeId(new UInt128((ulong)(uint)node.Item1 << 32 | (uint)node.Item2, (ulong)(uint)node.Item3 << 32 | (uint)node.Item4)));

        Prop.ForAll(stamps.ToArbitrary(), stamp =>
                HybridTimestamp.Parse(stamp.ToString(), CultureInfo.InvariantCulture) == stamp
                && stamp.ToString().Length == HybridTimestamp.TextLength)
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void TextOrder_AnyTwoStamps_MatchesValueOrder()
    {
        var stamps = from nanos in Gen.Choose(0, int.MaxValue)
                     from scale in Gen.Choose(1, 1_000_000)
                     from node in Gen.Choose(0, 3)
                     select new HybridTimestamp((long)nanos * scale, new NodeId((UInt128)node));

        Prop.ForAll(stamps.ToArbitrary(), stamps.ToArbitrary(), (a, b) =>
                Math.Sign(a.CompareTo(b)) == Math.Sign(string.CompareOrdinal(a.ToString(), b.ToString())))
            .QuickCheckThrowOnFailure();
    }
}
