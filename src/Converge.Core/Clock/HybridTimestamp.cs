using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Converge.Core.Clock;

/// <summary>
/// A hybrid logical clock stamp: physical time in nanoseconds since the Unix epoch, a logical counter
/// and the issuing node. Totally ordered and unique per node; <c>default</c> is <see cref="MinValue"/>,
/// which no clock ever issues.
/// </summary>
/// <remarks>
/// The text form is <c>2026-11-21T06:53:36.397295996Z/89F9DD8514914648989315B2D30D7BE5</c>.
/// Wall clocks are read in 100 ns ticks, so the two lowest decimal digits of the nanoseconds hold the
/// logical counter, as in uhlc; a counter that passes 99 carries into the next tick. Ordering is by
/// <see cref="Nanoseconds"/>, then by <see cref="Node"/>.
/// </remarks>
public readonly record struct HybridTimestamp : IComparable<HybridTimestamp>, ISpanFormattable, IParsable<HybridTimestamp>
{
    /// <summary>The length of the text form.</summary>
    public const int TextLength = 30 + 1 + NodeId.TextLength;

    /// <summary>Nanoseconds in one wall-clock tick; the digits below it hold the logical counter.</summary>
    public const long NanosecondsPerTick = 100;

    /// <summary>The largest nanosecond value a stamp holds (in April 2262).</summary>
    public const long MaxNanoseconds = long.MaxValue;

    /// <summary>Creates a stamp.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The time is before the Unix epoch.</exception>
    public HybridTimestamp(long nanoseconds, NodeId node)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nanoseconds);
        Nanoseconds = nanoseconds;
        Node = node;
    }

    /// <summary>The smallest stamp; the value of <c>default</c>. No clock issues it.</summary>
    public static HybridTimestamp MinValue => default;

    /// <summary>Physical time and logical counter together, in nanoseconds since the Unix epoch.</summary>
    public long Nanoseconds { get; }

    /// <summary>The node that issued the stamp.</summary>
    public NodeId Node { get; }

    /// <summary>The logical counter: the part of <see cref="Nanoseconds"/> below one wall-clock tick.</summary>
    public int Logical => (int)(Nanoseconds % NanosecondsPerTick);

    /// <summary>The physical time, truncated to the wall-clock tick.</summary>
    public DateTimeOffset Physical => new(DateTime.UnixEpoch.Ticks + (Nanoseconds / NanosecondsPerTick), TimeSpan.Zero);

    /// <summary>True for every stamp a clock issues; false for <c>default</c>.</summary>
    public bool IsValid => Nanoseconds > 0;

    /// <summary>The nanoseconds since the Unix epoch of an instant.</summary>
    public static long ToNanoseconds(DateTimeOffset instant) => (instant.UtcTicks - DateTime.UnixEpoch.Ticks) * NanosecondsPerTick;

    /// <inheritdoc />
    public int CompareTo(HybridTimestamp other)
    {
        var byTime = Nanoseconds.CompareTo(other.Nanoseconds);
        return byTime != 0 ? byTime : Node.CompareTo(other.Node);
    }

    /// <summary>Parses the text form.</summary>
    /// <exception cref="FormatException">The text is not a hybrid timestamp.</exception>
    public static HybridTimestamp Parse(ReadOnlySpan<char> text) =>
        TryParse(text, out var stamp) ? stamp : throw new FormatException($"'{text}' is not a hybrid timestamp: expected the form 2026-11-21T06:53:36.397295996Z/<32 hex digits>.");

    /// <inheritdoc />
    public static HybridTimestamp Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Parse(s.AsSpan());
    }

    /// <inheritdoc />
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out HybridTimestamp result)
    {
        result = default;
        return s is not null && TryParse(s.AsSpan(), out result);
    }

    /// <summary>Parses the text form strictly: exactly <see cref="TextLength"/> characters, nine fraction digits, <c>Z</c>, a slash and a node id.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out HybridTimestamp stamp)
    {
        stamp = default;
        if (text.Length != TextLength || text[19] != '.' || text[29] != 'Z' || text[30] != '/')
        {
            return false;
        }

        if (!DateTime.TryParseExact(text[..19], "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var seconds)
            || !IsDigits(text.Slice(20, 9))
            || !NodeId.TryParse(text[31..], out var node))
        {
            return false;
        }

        var fraction = long.Parse(text.Slice(20, 9), NumberStyles.None, CultureInfo.InvariantCulture);
        var wholeSeconds = (seconds.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
        if (wholeSeconds < 0 || wholeSeconds > (MaxNanoseconds - fraction) / 1_000_000_000)
        {
            return false;
        }

        stamp = new HybridTimestamp((wholeSeconds * 1_000_000_000) + fraction, node);
        return true;
    }

    /// <inheritdoc />
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null)
    {
        charsWritten = 0;
        if (destination.Length < TextLength)
        {
            return false;
        }

        var seconds = DateTime.UnixEpoch.AddTicks(Nanoseconds / 1_000_000_000 * TimeSpan.TicksPerSecond);
        if (!seconds.TryFormat(destination, out _, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture))
        {
            return false;
        }

        destination[19] = '.';
        (Nanoseconds % 1_000_000_000).TryFormat(destination.Slice(20, 9), out _, "D9", CultureInfo.InvariantCulture);
        destination[29] = 'Z';
        destination[30] = '/';
        Node.TryFormat(destination[31..], out _);
        charsWritten = TextLength;
        return true;
    }

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>The text form.</summary>
    public override string ToString() => string.Create(TextLength, this, static (span, stamp) => stamp.TryFormat(span, out _));

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="left"/> precedes <paramref name="right"/>.</summary>
    public static bool operator <(HybridTimestamp left, HybridTimestamp right) => left.CompareTo(right) < 0;

    /// <summary>True when <paramref name="left"/> follows <paramref name="right"/>.</summary>
    public static bool operator >(HybridTimestamp left, HybridTimestamp right) => left.CompareTo(right) > 0;

    /// <summary>True when <paramref name="left"/> precedes or equals <paramref name="right"/>.</summary>
    public static bool operator <=(HybridTimestamp left, HybridTimestamp right) => left.CompareTo(right) <= 0;

    /// <summary>True when <paramref name="left"/> follows or equals <paramref name="right"/>.</summary>
    public static bool operator >=(HybridTimestamp left, HybridTimestamp right) => left.CompareTo(right) >= 0;
}
