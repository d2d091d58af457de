using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Converge.Core.Clock;

namespace Converge.Sqlite;

/// <summary>
/// A record's merge metadata as the compact blob of <c>cv_records.meta</c>: the owner when there is no row to hold it,
/// the tombstone's stamp, and per field its kind, its stamp and, only when its column cannot reproduce it, its value.
/// </summary>
/// <remarks>
/// Layout (version 1): version byte; flags (1 deleted, 2 owner here, 4 owner in the row's <c>"$owner"</c>); the owner
/// (varint length, UTF-8) when here; the nodes (varint count, 16 bytes each, big-endian); the stamps (varint count, each
/// 8 bytes of nanoseconds little-endian and a varint node index); the tombstone's stamp reference when deleted; the
/// fields (varint count, each a varint-length UTF-8 name, a <see cref="MetaTag"/> and its parts). A stamp reference is a
/// varint, 0 for <see cref="HybridTimestamp.MinValue"/>, else the stamp's index plus one: the fields of a record written
/// at once share one stamp, stored once.
/// </remarks>
internal sealed class RecordMeta
{
    private const byte Version = 1;
    private const byte DeletedFlag = 1;
    private const byte OwnerHere = 2;
    private const byte OwnerInRowFlag = 4;

    /// <summary>The owner, when the metadata holds it (a tombstone); null otherwise.</summary>
    public string? Owner { get; set; }

    /// <summary>True when the owner is in the row's <c>"$owner"</c>.</summary>
    public bool OwnerInRow { get; set; }

    /// <summary>The tombstone's stamp; <see cref="HybridTimestamp.MinValue"/> while live.</summary>
    public HybridTimestamp Deleted { get; set; }

    /// <summary>The fields, in ordinal name order.</summary>
    public List<MetaField> Fields { get; } = [];

    /// <summary>True when some part of the record is in its row.</summary>
    public bool NeedsRow => OwnerInRow || Fields.Exists(f => f.Tag is MetaTag.RegisterInColumn or MetaTag.RegisterInExtra or MetaTag.CounterInColumn);

    /// <summary>Writes the blob.</summary>
    public void Write(ArrayBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var nodes = new List<NodeId>(2);
        var stamps = new List<HybridTimestamp>(2);
        Span<int> refs = Fields.Count <= 64 ? stackalloc int[Fields.Count + 1] : new int[Fields.Count + 1];
        refs[0] = Intern(Deleted, stamps, nodes);
        for (var i = 0; i < Fields.Count; i++)
        {
            refs[i + 1] = Intern(Fields[i].Stamp, stamps, nodes);
        }

        Byte(output, Version);
        Byte(output, (byte)((Deleted.IsValid ? DeletedFlag : 0) | (Owner is not null ? OwnerHere : 0) | (OwnerInRow ? OwnerInRowFlag : 0)));
        if (Owner is not null)
        {
            Text(output, Owner);
        }

        VarInt(output, (ulong)nodes.Count);
        foreach (var node in nodes)
        {
            BinaryPrimitives.WriteUInt128BigEndian(output.GetSpan(16), node.Value);
            output.Advance(16);
        }

        VarInt(output, (ulong)stamps.Count);
        foreach (var stamp in stamps)
        {
            BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), stamp.Nanoseconds);
            output.Advance(8);
            VarInt(output, (ulong)nodes.IndexOf(stamp.Node));
        }

        if (Deleted.IsValid)
        {
            VarInt(output, (ulong)refs[0]);
        }

        VarInt(output, (ulong)Fields.Count);
        for (var i = 0; i < Fields.Count; i++)
        {
            var field = Fields[i];
            Text(output, field.Name);
            Byte(output, (byte)field.Tag);
            switch (field.Tag)
            {
                case MetaTag.RegisterInColumn or MetaTag.RegisterInExtra:
                    VarInt(output, (ulong)refs[i + 1]);
                    break;
                case MetaTag.RegisterExact:
                    VarInt(output, (ulong)refs[i + 1]);
                    Bytes(output, field.Exact!);
                    break;
                case MetaTag.CounterExact:
                    Bytes(output, field.Exact!);
                    break;
                case MetaTag.SetHeader:
                    VarInt(output, (ulong)refs[i + 1]);
                    VarInt(output, (ulong)field.Count);
                    break;
            }
        }
    }

    /// <summary>Reads a blob <see cref="Write"/> wrote.</summary>
    /// <exception cref="FormatException">The bytes are not record metadata of a known version.</exception>
    public static RecordMeta Read(ReadOnlySpan<byte> blob)
    {
        try
        {
            var reader = new Reader(blob);
            if (reader.Byte() != Version)
            {
                throw new FormatException("The record metadata is of an unknown version.");
            }

            var flags = reader.Byte();
            var meta = new RecordMeta { OwnerInRow = (flags & OwnerInRowFlag) != 0 };
            if ((flags & OwnerHere) != 0)
            {
                meta.Owner = reader.Text();
            }

            var nodes = new NodeId[(int)reader.VarInt()];
            for (var i = 0; i < nodes.Length; i++)
            {
                nodes[i] = new NodeId(BinaryPrimitives.ReadUInt128BigEndian(reader.Take(16)));
            }

            var stamps = new HybridTimestamp[(int)reader.VarInt()];
            for (var i = 0; i < stamps.Length; i++)
            {
                var nanoseconds = BinaryPrimitives.ReadInt64LittleEndian(reader.Take(8));
                stamps[i] = new HybridTimestamp(nanoseconds, nodes[(int)reader.VarInt()]);
            }

            if ((flags & DeletedFlag) != 0)
            {
                meta.Deleted = Stamp(stamps, reader.VarInt());
            }

            var count = (int)reader.VarInt();
            for (var i = 0; i < count; i++)
            {
                var name = reader.Text();
                var tag = (MetaTag)reader.Byte();
                meta.Fields.Add(tag switch
                {
                    MetaTag.RegisterInColumn or MetaTag.RegisterInExtra => new MetaField(name, tag, Stamp(stamps, reader.VarInt()), 0, null),
                    MetaTag.RegisterExact => new MetaField(name, tag, Stamp(stamps, reader.VarInt()), 0, reader.Bytes()),
                    MetaTag.CounterInColumn => new MetaField(name, tag, default, 0, null),
                    MetaTag.CounterExact => new MetaField(name, tag, default, 0, reader.Bytes()),
                    MetaTag.SetHeader => new MetaField(name, tag, Stamp(stamps, reader.VarInt()), (int)reader.VarInt(), null),
                    _ => throw new FormatException($"Unknown field tag {(byte)tag} in record metadata."),
                });
            }

            return meta;
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            throw new FormatException("The record metadata is truncated or damaged.", e);
        }
    }

    private static HybridTimestamp Stamp(HybridTimestamp[] stamps, ulong reference) => reference == 0 ? HybridTimestamp.MinValue : stamps[(int)reference - 1];

    private static int Intern(HybridTimestamp stamp, List<HybridTimestamp> stamps, List<NodeId> nodes)
    {
        if (!stamp.IsValid)
        {
            return 0;
        }

        var index = stamps.IndexOf(stamp);
        if (index < 0)
        {
            stamps.Add(stamp);
            index = stamps.Count - 1;
            if (!nodes.Contains(stamp.Node))
            {
                nodes.Add(stamp.Node);
            }
        }

        return index + 1;
    }

    private static void Byte(ArrayBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void VarInt(ArrayBufferWriter<byte> output, ulong value)
    {
        while (value >= 0x80)
        {
            Byte(output, (byte)(value | 0x80));
            value >>= 7;
        }

        Byte(output, (byte)value);
    }

    private static void Text(ArrayBufferWriter<byte> output, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        VarInt(output, (ulong)length);
        Encoding.UTF8.GetBytes(value, output.GetSpan(length));
        output.Advance(length);
    }

    private static void Bytes(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        VarInt(output, (ulong)value.Length);
        output.Write(value);
    }

    private ref struct Reader(ReadOnlySpan<byte> blob)
    {
        private readonly ReadOnlySpan<byte> _blob = blob;
        private int _at;

        public byte Byte() => _blob[_at++];

        public ReadOnlySpan<byte> Take(int length)
        {
            var span = _blob.Slice(_at, length);
            _at += length;
            return span;
        }

        public ulong VarInt()
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80 || shift > 63)
                {
                    return value;
                }
            }
        }

        public string Text() => Encoding.UTF8.GetString(Take((int)VarInt()));

        public byte[] Bytes() => Take((int)VarInt()).ToArray();
    }
}
