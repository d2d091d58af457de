using Converge.Core.Clock;
using FsCheck;
using FsCheck.Fluent;

namespace Converge.Core.Tests.Clock;

/// <summary>The hand-written parser and formatter agree with <see cref="HybridTimestampOracle"/> on every input.</summary>
public sealed class HybridTimestampParserTests
{
    // Characters a stamp has, their neighbours, and look-alikes a culture-aware parser might take for them.
    private const string Alphabet = "0123456789-T:.Z/abcdefABCDEFgGtz :+\0\u0660\u0669\uFF10\uFF19\uFF21\u00A0\u2212";

    private static readonly Gen<HybridTimestamp> Stamps =
        from seconds in Gen.Choose(0, int.MaxValue).Two()
        from fraction in Gen.Choose(0, 999_999_999)
        from node in Gen.Choose(int.MinValue, int.MaxValue).Four()
        let wholeSeconds = Math.Min(((long)seconds.Item1 * 5) + seconds.Item2 % 5, (HybridTimestamp.MaxNanoseconds / 1_000_000_000) - 1)
        select new HybridTimestamp(
            (wholeSeconds * 1_000_000_000) + fraction,
            new NodeId(new UInt128((ulong)(uint)node.Item1 << 32 | (uint)node.Item2, (ulong)(uint)node.Item3 << 32 | (uint)node.Item4)));

    [Theory]
    [InlineData("2026-11-21T06:53:36.397295996Z/89F9DD8514914648989315B2D30D7BE5")]
    [InlineData("2026-11-21T06:53:36.397295996Z/89f9dd8514914648989315b2d30d7be5")]
    [InlineData("1970-01-01T00:00:00.000000000Z/00000000000000000000000000000000")]
    [InlineData("1970-01-01T00:00:00.000000001Z/00000000000000000000000000000000")]
    [InlineData("2262-04-11T23:47:16.854775807Z/FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF")]
    [InlineData("2262-04-11T23:47:16.854775808Z/FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF")]
    [InlineData("2262-04-11T23:47:17.000000000Z/FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF")]
    [InlineData("1969-12-31T23:59:59.999999999Z/00000000000000000000000000000000")]
    [InlineData("0000-01-01T00:00:00.000000000Z/00000000000000000000000000000000")]
    [InlineData("0001-01-01T00:00:00.000000000Z/00000000000000000000000000000000")]
    [InlineData("9999-12-31T23:59:59.999999999Z/00000000000000000000000000000000")]
    [InlineData("2024-02-29T00:00:00.000000000Z/00000000000000000000000000000000")]
    [InlineData("2023-02-29T00:00:00.000000000Z/00000000000000000000000000000000")]
    [InlineData("2100-02-29T00:00:00.000000000Z/00000000000000000000000000000000")]
    [InlineData("2000-02-29T00:00:00.000000000Z/00000000000000000000000000000000")]
    [InlineData("2026-04-31T00:00:00.000000000Z/00000000000000000000000000000000")]
    [InlineData("2026-00-10T00:00:00.000000000Z/00000000000000000000000000000000")]
    [InlineData("2026-01-00T00:00:00.000000000Z/00000000000000000000000000000000")]
    [InlineData("2026-01-01T24:00:00.000000000Z/00000000000000000000000000000000")]
    [InlineData("2026-01-01T23:60:00.000000000Z/00000000000000000000000000000000")]
    [InlineData("2026-01-01T23:59:60.000000000Z/00000000000000000000000000000000")]
    [InlineData("2026-01-01t23:59:59.000000000Z/00000000000000000000000000000000")]
    [InlineData("2026-01-01T23:59:59.000000000z/00000000000000000000000000000000")]
    [InlineData("2026/01/01T23:59:59.000000000Z/00000000000000000000000000000000")]
    [InlineData("2026-01-01T23.59.59.000000000Z/00000000000000000000000000000000")]
    [InlineData("+026-01-01T23:59:59.000000000Z/00000000000000000000000000000000")]
    [InlineData(" 2026-1-01T23:59:59.000000000Z/00000000000000000000000000000000")]
    [InlineData("2026-01-01T23:59:59.-00000000Z/00000000000000000000000000000000")]
    [InlineData("2026-01-01T23:59:59.000000000Z/0000000000000000000000000000000x")]
    [InlineData("2026-01-01T23:59:59.000000000Z/+0000000000000000000000000000000")]
    [InlineData("\u0662026-01-01T23:59:59.000000000Z/00000000000000000000000000000000")]
    [InlineData("2026-01-01T23:59:59.00000000\u0660Z/00000000000000000000000000000000")]
    [InlineData("2026-01-01T23:59:59.000000000Z/0000000000000000000000000000000\uFF21")]
    [InlineData("2026-01-01T23:59:5\0.000000000Z/00000000000000000000000000000000")]
    public void TryParse_EdgeCase_AgreesWithOracle(string text) => Agrees(text);

    [Fact]
    public void TryParse_AnyValidStamp_AgreesWithOracle()
    {
        Prop.ForAll(Stamps.ToArbitrary(), stamp => Agrees(HybridTimestampOracle.Format(stamp))).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void TryParse_MutatedStamp_AgreesWithOracle()
    {
        var mutated = from stamp in Stamps
                      from count in Gen.Choose(1, 3)
                      from edits in Gen.ArrayOf(Gen.Zip(Gen.Choose(0, HybridTimestamp.TextLength - 1), Gen.Elements(Alphabet.ToCharArray())), count)
                      select Mutate(HybridTimestampOracle.Format(stamp), edits);

        Prop.ForAll(mutated.ToArbitrary(), Agrees).Check(Config.QuickThrowOnFailure.WithMaxTest(20_000));
    }

    [Fact]
    public void TryParse_RandomText_AgreesWithOracle()
    {
        var texts = from length in Gen.Frequency((1, Gen.Choose(0, 70)), (4, Gen.Constant(HybridTimestamp.TextLength)))
                    from chars in Gen.ArrayOf(Gen.Elements(Alphabet.ToCharArray()), length)
                    select new string(chars);

        Prop.ForAll(texts.ToArbitrary(), Agrees).Check(Config.QuickThrowOnFailure.WithMaxTest(20_000));
    }

    [Fact]
    public void TryParse_DigitFieldsAnyValue_AgreesWithOracle()
    {
        // Every date and time field over its whole two- or four-digit range, so each calendar edge is met.
        var texts = from year in Gen.Choose(0, 9999)
                    from month in Gen.Choose(0, 99)
                    from day in Gen.Choose(0, 99)
                    from hour in Gen.Choose(0, 99)
                    from minute in Gen.Choose(0, 99)
                    from second in Gen.Choose(0, 99)
                    from fraction in Gen.Choose(0, 999_999_999)
                    select $"{year:D4}-{month:D2}-{Math.Min(day, 32):D2}T{Math.Min(hour, 25):D2}:{Math.Min(minute, 61):D2}:{Math.Min(second, 61):D2}.{fraction:D9}Z/0123456789abcdefABCDEF0123456789";

        Prop.ForAll(texts.ToArbitrary(), Agrees).Check(Config.QuickThrowOnFailure.WithMaxTest(20_000));
    }

    [Fact]
    public void ToString_AnyStamp_AgreesWithOracle()
    {
        Prop.ForAll(Stamps.ToArbitrary(), stamp => stamp.ToString() == HybridTimestampOracle.Format(stamp)).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(86_399_999_999_999L)]
    [InlineData(86_400_000_000_000L)]
    [InlineData(951_782_400_000_000_000L)]
    [InlineData(long.MaxValue)]
    public void ToString_EdgeStamp_AgreesWithOracle(long nanoseconds)
    {
        var stamp = new HybridTimestamp(nanoseconds, new NodeId(UInt128.MaxValue));

        stamp.ToString().ShouldBe(HybridTimestampOracle.Format(stamp));
        new HybridTimestamp(nanoseconds, default).ToString().ShouldBe(HybridTimestampOracle.Format(new HybridTimestamp(nanoseconds, default)));
    }

    private static bool Agrees(string text)
    {
        var expected = HybridTimestampOracle.TryParse(text, out var expectedStamp);
        var actual = HybridTimestamp.TryParse(text.AsSpan(), out var actualStamp);
        actual.ShouldBe(expected, $"parsing '{text}'");
        actualStamp.ShouldBe(expectedStamp, $"parsing '{text}'");
        return true;
    }

    private static string Mutate(string text, IEnumerable<(int Position, char Char)> edits)
    {
        var chars = text.ToCharArray();
        foreach (var (position, c) in edits)
        {
            chars[position] = c;
        }

        return new string(chars);
    }
}
