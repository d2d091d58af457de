using System.Globalization;
using Converge.Core.Clock;

namespace Converge.Core.Tests.Clock;

/// <summary>
/// The first parser and formatter of <see cref="HybridTimestamp"/>, built on <see cref="DateTime"/>'s exact parsing and
/// formatting: kept as the reference the hand-written ones must agree with, input for input.
/// </summary>
internal static class HybridTimestampOracle
{
    public static bool TryParse(ReadOnlySpan<char> text, out HybridTimestamp stamp)
    {
        stamp = default;
        if (text.Length != HybridTimestamp.TextLength || text[19] != '.' || text[29] != 'Z' || text[30] != '/')
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
        if (wholeSeconds < 0 || wholeSeconds > (HybridTimestamp.MaxNanoseconds - fraction) / 1_000_000_000)
        {
            return false;
        }

        stamp = new HybridTimestamp((wholeSeconds * 1_000_000_000) + fraction, node);
        return true;
    }

    public static string Format(HybridTimestamp stamp)
    {
        Span<char> destination = stackalloc char[HybridTimestamp.TextLength];
        var seconds = DateTime.UnixEpoch.AddTicks(stamp.Nanoseconds / 1_000_000_000 * TimeSpan.TicksPerSecond);
        seconds.TryFormat(destination, out _, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        destination[19] = '.';
        (stamp.Nanoseconds % 1_000_000_000).TryFormat(destination.Slice(20, 9), out _, "D9", CultureInfo.InvariantCulture);
        destination[29] = 'Z';
        destination[30] = '/';
        stamp.Node.TryFormat(destination[31..], out _);
        return destination.ToString();
    }

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
}
