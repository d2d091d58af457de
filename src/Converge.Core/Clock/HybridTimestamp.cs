using System.Diagnostics.CodeAnalysis;

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
    /// <remarks>
    /// Hand-written for speed (every pushed and pulled action has a stamp); it accepts exactly what
    /// <c>DateTime.TryParseExact(text[..19], "yyyy-MM-dd'T'HH:mm:ss", InvariantCulture)</c> plus the fraction and the node id
    /// accepted: ASCII digits only, a real calendar date from year 1, hours to 23, minutes and seconds to 59.
    /// </remarks>
    public static bool TryParse(ReadOnlySpan<char> text, out HybridTimestamp stamp)
    {
        stamp = default;
        if (text.Length != TextLength
            || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || text[19] != '.' || text[29] != 'Z' || text[30] != '/')
        {
            return false;
        }

        if (!TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month) || !TryDigits(text.Slice(8, 2), out var day)
            || !TryDigits(text.Slice(11, 2), out var hour) || !TryDigits(text.Slice(14, 2), out var minute) || !TryDigits(text.Slice(17, 2), out var second)
            || !TryDigits(text.Slice(20, 9), out var fraction)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth((int)year, (int)month)
            || hour > 23 || minute > 59 || second > 59
            || !TryParseNode(text[31..], out var node))
        {
            return false;
        }

        var seconds = new DateTime((int)year, (int)month, (int)day, (int)hour, (int)minute, (int)second, DateTimeKind.Utc);
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

        var (year, month, day) = DateTime.UnixEpoch.AddTicks(Nanoseconds / 1_000_000_000 * TimeSpan.TicksPerSecond);
        var secondOfDay = Nanoseconds / 1_000_000_000 % 86_400;
        WriteDigits(destination[..4], year);
        destination[4] = '-';
        WriteDigits(destination.Slice(5, 2), month);
        destination[7] = '-';
        WriteDigits(destination.Slice(8, 2), day);
        destination[10] = 'T';
        WriteDigits(destination.Slice(11, 2), secondOfDay / 3600);
        destination[13] = ':';
        WriteDigits(destination.Slice(14, 2), secondOfDay / 60 % 60);
        destination[16] = ':';
        WriteDigits(destination.Slice(17, 2), secondOfDay % 60);
        destination[19] = '.';
        WriteDigits(destination.Slice(20, 9), Nanoseconds % 1_000_000_000);
        destination[29] = 'Z';
        destination[30] = '/';
        WriteNode(destination.Slice(31, NodeId.TextLength), Node.Value);
        charsWritten = TextLength;
        return true;
    }

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>The text form.</summary>
    public override string ToString() => string.Create(TextLength, this, static (span, stamp) => stamp.TryFormat(span, out _));

    /// <summary>Reads ASCII digits only (as <c>DateTime.TryParseExact</c> and <c>NumberStyles.None</c> do).</summary>
    private static bool TryDigits(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        foreach (var c in text)
        {
            var digit = (uint)(c - '0');
            if (digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    /// <summary>Reads 32 hexadecimal digits of either case, as <see cref="NodeId.TryParse"/> does.</summary>
    private static bool TryParseNode(ReadOnlySpan<char> text, out NodeId node)
    {
        node = default;
        ulong upper = 0, lower = 0;
        for (var i = 0; i < NodeId.TextLength; i++)
        {
            var c = text[i];
            uint nibble;
            if ((uint)(c - '0') <= 9)
            {
                nibble = (uint)(c - '0');
            }
            else if ((uint)((c | 0x20) - 'a') <= 'f' - 'a')
            {
                nibble = (uint)((c | 0x20) - 'a' + 10);
            }
            else
            {
                return false;
            }

            if (i < 16)
            {
                upper = (upper << 4) | nibble;
            }
            else
            {
                lower = (lower << 4) | nibble;
            }
        }

        node = new NodeId(new UInt128(upper, lower));
        return true;
    }

    private static void WriteDigits(Span<char> destination, long value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    private static void WriteNode(Span<char> destination, UInt128 value)
    {
        var (upper, lower) = ((ulong)(value >> 64), (ulong)value);
        for (var i = 15; i >= 0; i--)
        {
            destination[i] = "0123456789ABCDEF"[(int)(upper & 0xF)];
            destination[16 + i] = "0123456789ABCDEF"[(int)(lower & 0xF)];
            upper >>= 4;
            lower >>= 4;
        }
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
