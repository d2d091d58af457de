using System.Globalization;

namespace Converge.Core.Merge;

/// <summary>RFC 3339 date-times with an offset: <c>2026-11-21T06:53:36.397295996+01:00</c> or with <c>Z</c>; up to nine fraction digits.</summary>
internal static class Instants
{
    /// <summary>Reads an RFC 3339 date-time with an offset: the instant (whole seconds) and the fraction in nanoseconds.</summary>
    public static bool TryParse(string? text, out DateTimeOffset instant, out int nanoseconds)
    {
        instant = default;
        nanoseconds = 0;
        if (text is null || text.Length < 20 || text[10] is not ('T' or 't'))
        {
            return false;
        }

        var rest = 19;
        if (text[rest] == '.')
        {
            var start = ++rest;
            while (rest < text.Length && char.IsAsciiDigit(text[rest]))
            {
                rest++;
            }

            var digits = rest - start;
            if (digits is 0 or > 9)
            {
                return false;
            }

            nanoseconds = int.Parse(text.AsSpan(start, digits), NumberStyles.None, CultureInfo.InvariantCulture) * (int)Math.Pow(10, 9 - digits);
        }

        var offset = text.AsSpan(rest);
        var offsetText = offset is "Z" or "z" ? "+00:00" : offset.ToString();
        if (offsetText.Length != 6 || offsetText[0] is not ('+' or '-') || offsetText[3] != ':')
        {
            return false;
        }

        return DateTimeOffset.TryParseExact(
            string.Concat(text.AsSpan(0, 10), "T", text.AsSpan(11, 8), offsetText),
            "yyyy-MM-dd'T'HH:mm:sszzz",
            CultureInfo.InvariantCulture,
            DateTimeStyles.None,
            out instant);
    }
}
