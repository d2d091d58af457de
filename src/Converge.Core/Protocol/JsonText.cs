using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace Converge.Core.Protocol;

/// <summary>
/// Whether JSON strings name Unicode text. JSON's grammar lets a string escape half of a surrogate pair
/// (<c>"\ud800"</c>); such a string has no UTF-8 or valid UTF-16 form, and reading it as a .NET string throws,
/// so Converge refuses it wherever it reads JSON (RFC 7493, I-JSON, section 2.1).
/// </summary>
internal static class JsonText
{
    /// <summary>True when the raw, still-escaped UTF-8 of a JSON string or member name (quotes or not) escapes a lone surrogate.</summary>
    public static bool HasLoneSurrogate(ReadOnlySpan<byte> raw)
    {
        var at = raw.IndexOf((byte)'\\');
        if (at < 0)
        {
            return false;
        }

        var high = false;
        while (true)
        {
            // raw[at] is a backslash: an escape of two bytes, or six for \uXXXX.
            if (at + 1 >= raw.Length)
            {
                return high;
            }

            if (raw[at + 1] == 'u' && at + 6 <= raw.Length && TryHex(raw.Slice(at + 2, 4), out var unit))
            {
                if (char.IsLowSurrogate((char)unit) != high)
                {
                    // A low half without a high one before it, or a high half followed by anything but a low one.
                    return true;
                }

                high = char.IsHighSurrogate((char)unit);
                at += 6;
            }
            else if (high)
            {
                return true;
            }
            else
            {
                at += 2;
            }

            if (high)
            {
                if (at >= raw.Length || raw[at] != '\\')
                {
                    return true;
                }

                continue;
            }

            var next = raw[at..].IndexOf((byte)'\\');
            if (next < 0)
            {
                return false;
            }

            at += next;
        }
    }

    /// <summary>True when every string and member name in the value is Unicode text: valid UTF-8, no lone surrogate escaped.</summary>
    public static bool IsText(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in value.EnumerateObject())
                {
                    if (!IsText(JsonMarshal.GetRawUtf8PropertyName(member)) || !IsText(member.Value))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (!IsText(item))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.String:
                return IsText(JsonMarshal.GetRawUtf8Value(value));
            default:
                return true;
        }
    }

    private static bool IsText(ReadOnlySpan<byte> raw) => Utf8.IsValid(raw) && !HasLoneSurrogate(raw);

    private static bool TryHex(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var digit in digits)
        {
            var nibble = digit switch
            {
                >= (byte)'0' and <= (byte)'9' => digit - '0',
                >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => digit - 'A' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                return false;
            }

            value = (value << 4) | nibble;
        }

        return true;
    }
}
