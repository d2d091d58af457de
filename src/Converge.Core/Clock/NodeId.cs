using System.Globalization;

namespace Converge.Core.Clock;

/// <summary>The 128-bit identity of a node (a replica or a server) that issues hybrid timestamps.</summary>
/// <remarks>The text form is 32 upper-case hexadecimal digits; ordering is numeric, which equals ordinal text order.</remarks>
public readonly record struct NodeId(UInt128 Value) : IComparable<NodeId>
{
    /// <summary>The number of characters in the text form.</summary>
    public const int TextLength = 32;

    /// <summary>Makes the node id that carries the same 128 bits as a GUID's hexadecimal text.</summary>
    public static NodeId FromGuid(Guid value) =>
        new(UInt128.Parse(value.ToString("N"), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));

    /// <summary>Parses 32 hexadecimal digits (either case).</summary>
    /// <exception cref="FormatException">The text is not 32 hexadecimal digits.</exception>
    public static NodeId Parse(ReadOnlySpan<char> text) =>
        TryParse(text, out var node) ? node : throw new FormatException($"'{text}' is not a node id: expected {TextLength} hexadecimal digits.");

    /// <summary>Parses 32 hexadecimal digits (either case), without throwing.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out NodeId node)
    {
        node = default;
        if (text.Length != TextLength)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        node = new NodeId(UInt128.Parse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        return true;
    }

    /// <inheritdoc />
    public int CompareTo(NodeId other) => Value.CompareTo(other.Value);

    /// <summary>Writes the 32-digit upper-case text form.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten) =>
        Value.TryFormat(destination, out charsWritten, "X32", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("X32", CultureInfo.InvariantCulture);

    /// <summary>True when <paramref name="left"/> precedes <paramref name="right"/>.</summary>
    public static bool operator <(NodeId left, NodeId right) => left.CompareTo(right) < 0;

    /// <summary>True when <paramref name="left"/> follows <paramref name="right"/>.</summary>
    public static bool operator >(NodeId left, NodeId right) => left.CompareTo(right) > 0;

    /// <summary>True when <paramref name="left"/> precedes or equals <paramref name="right"/>.</summary>
    public static bool operator <=(NodeId left, NodeId right) => left.CompareTo(right) <= 0;

    /// <summary>True when <paramref name="left"/> follows or equals <paramref name="right"/>.</summary>
    public static bool operator >=(NodeId left, NodeId right) => left.CompareTo(right) >= 0;
}
