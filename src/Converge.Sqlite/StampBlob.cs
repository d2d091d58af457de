using System.Buffers.Binary;
using Converge.Core.Clock;

namespace Converge.Sqlite;

/// <summary>A stamp as 24 bytes (nanoseconds then node, both big-endian, so the bytes sort as the stamps do); null for <see cref="HybridTimestamp.MinValue"/>.</summary>
internal static class StampBlob
{
    public const int Length = 24;

    public static byte[]? Of(HybridTimestamp stamp)
    {
        if (!stamp.IsValid)
        {
            return null;
        }

        var bytes = new byte[Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, stamp.Nanoseconds);
        BinaryPrimitives.WriteUInt128BigEndian(bytes.AsSpan(8), stamp.Node.Value);
        return bytes;
    }

    /// <exception cref="FormatException">The bytes are not a stamp.</exception>
    public static HybridTimestamp Read(ReadOnlySpan<byte> bytes) =>
        bytes.IsEmpty ? HybridTimestamp.MinValue
        : bytes.Length == Length ? new HybridTimestamp(BinaryPrimitives.ReadInt64BigEndian(bytes), new NodeId(BinaryPrimitives.ReadUInt128BigEndian(bytes[8..])))
        : throw new FormatException($"A stored stamp has {Length} bytes, not {bytes.Length}.");
}
