using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Converge.Core.Clock;
using Converge.Core.Merge;
using Converge.Core.Schema;
using Converge.Core.Serialization;
using Converge.Core.State;

namespace Converge.Core.Export;

/// <summary>
/// The snapshot body: gzip of newline-delimited JSON. The first line is the header
/// <c>{"format": "converge-snapshot/1", "stream", "index", "schema"}</c>; then one line per alias
/// <c>{"a": [collection, alias, canonical]}</c> and one per record <c>{"r": stored record}</c>, tombstones included.
/// </summary>
/// <remarks>Streams in and out: a snapshot of a million records never sits in memory whole.</remarks>
internal static class SnapshotFormat
{
    /// <summary>The format tag of the header line.</summary>
    public const string Format = "converge-snapshot/1";

    /// <summary>Writes the snapshot of <paramref name="state"/> at <paramref name="index"/>.</summary>
    public static void Write(Stream destination, string stream, long index, IExportableState state)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(state);
        using var gzip = new GZipStream(destination, CompressionLevel.Fastest, leaveOpen: true);
        using var writer = new Utf8JsonWriter(gzip, CanonicalJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("format", Format);
        writer.WriteString("stream", stream);
        writer.WriteNumber("index", index);
        writer.WritePropertyName("schema");
        SchemaJson.Write(writer, state.GetSchema());
        writer.WriteEndObject();
        NewLine(writer, gzip);

        foreach (var (alias, canonical) in state.ReadAliases())
        {
            writer.WriteStartObject();
            writer.WriteStartArray("a");
            writer.WriteStringValue(alias.Collection);
            writer.WriteStringValue(alias.Id.ToString("D"));
            writer.WriteStringValue(canonical.ToString("D"));
            writer.WriteEndArray();
            writer.WriteEndObject();
            NewLine(writer, gzip);
        }

        foreach (var record in state.ReadRecords())
        {
            writer.WriteStartObject();
            writer.WritePropertyName("r");
            RecordJson.Write(writer, record);
            writer.WriteEndObject();
            NewLine(writer, gzip);
        }
    }

    /// <summary>
    /// Loads a snapshot into an empty state: schema, aliases, records, and the unique indexes rebuilt from the
    /// live records. Returns the header.
    /// </summary>
    /// <exception cref="FormatException">The body is not a snapshot.</exception>
    public static SnapshotHeader Load(Stream source, IRecordState target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        using var gzip = new GZipStream(source, CompressionMode.Decompress, leaveOpen: true);
        var lines = new LineReader(gzip);
        if (!lines.TryRead(out var first))
        {
            throw new FormatException("The snapshot is empty.");
        }

        var header = ReadHeader(first);
        var maxStamp = HybridTimestamp.MinValue;
        target.SetSchema(header.Schema);
        var stored = target as IStoredRecordState;
        string? uniquesOf = null;
        var hasUniques = false;
        while (lines.TryRead(out var line))
        {
            if (line.IsEmpty)
            {
                continue;
            }

            try
            {
                var reader = new Utf8JsonReader(line);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
                {
                    throw new FormatException("A snapshot line must hold an alias ('a') or a record ('r').");
                }

                if (reader.ValueTextEquals("r"u8))
                {
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    var body = line[start..(int)reader.BytesConsumed];
                    EndOfLine(ref reader);
                    var (key, newest, sets) = StoredRecordScan.Scan(body);
                    maxStamp = Max(maxStamp, newest);
                    if (key.Collection != uniquesOf)
                    {
                        uniquesOf = key.Collection;
                        hasUniques = HasUniques(header.Schema, key.Collection);
                    }

                    if (stored is not null && !hasUniques && !sets)
                    {
                        // Most records: stored as they came, with no document, no record object and no copy of their values.
                        stored.SetStoredRecord(key, body);
                        continue;
                    }

                    // A record with sets is split: its elements are stored apart from it.
                    var record = RecordJson.Deserialize(body);
                    if (stored is not null && !sets)
                    {
                        stored.SetStoredRecord(record.Key, body);
                    }
                    else
                    {
                        target.SetRecord(record.Key, record);
                    }

                    IndexUniques(target, header.Schema, record);
                }
                else if (reader.ValueTextEquals("a"u8))
                {
                    reader.Read();
                    var alias = JsonElement.ParseValue(ref reader);
                    EndOfLine(ref reader);
                    target.SetAlias(new RecordKey(alias[0].GetString()!, Guid.ParseExact(alias[1].GetString()!, "D")), Guid.ParseExact(alias[2].GetString()!, "D"));
                }
                else
                {
                    throw new FormatException("A snapshot line must hold an alias ('a') or a record ('r').");
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or IndexOutOfRangeException or ArgumentNullException)
            {
                throw new FormatException("A snapshot line is malformed.", e);
            }
        }

        return header with { MaxStamp = maxStamp };
    }

    private static void EndOfLine(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new FormatException("A snapshot line must hold exactly one alias ('a') or record ('r').");
        }
    }

    private static bool HasUniques(StreamSchema schema, string collection) =>
        schema.FindCollection(collection) is { } found && found.Fields.Values.Any(f => f.Unique != UniqueKind.None);

    private static HybridTimestamp Max(HybridTimestamp a, HybridTimestamp b) => a > b ? a : b;

    private static SnapshotHeader ReadHeader(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.GetProperty("format").GetString() != Format)
            {
                throw new FormatException($"The snapshot is not in the format {Format}.");
            }

            var schema = SchemaJson.Deserialize(Encoding.UTF8.GetBytes(root.GetProperty("schema").GetRawText()));
            return new SnapshotHeader(root.GetProperty("stream").GetString()!, root.GetProperty("index").GetInt64(), schema);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException("The snapshot header is malformed.", e);
        }
    }

    private static void IndexUniques(IRecordState target, StreamSchema schema, RecordData record)
    {
        if (record.IsDeleted || schema.FindCollection(record.Key.Collection) is not { } collection)
        {
            return;
        }

        foreach (var (name, field) in collection.Fields)
        {
            if (field.Unique != UniqueKind.None && UniqueIndex.KeyOf(record, name, field) is { } key)
            {
                target.SetUnique(key, record.Key.Id);
            }
        }
    }

    private static void NewLine(Utf8JsonWriter writer, Stream stream)
    {
        writer.Flush();
        stream.WriteByte((byte)'\n');
        writer.Reset(stream);
    }

    /// <summary>Splits a stream into lines of UTF-8 bytes, without decoding them to text.</summary>
    private sealed class LineReader(Stream source)
    {
        private byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;
        private bool _eof;

        /// <summary>The next line without its newline; valid until the next call.</summary>
        public bool TryRead(out ReadOnlySpan<byte> line)
        {
            var searched = 0;
            while (true)
            {
                var newline = _buffer.AsSpan(_start + searched, _end - _start - searched).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    line = _buffer.AsSpan(_start, searched + newline);
                    _start += searched + newline + 1;
                    return true;
                }

                searched = _end - _start;
                if (_eof)
                {
                    line = _buffer.AsSpan(_start, searched);
                    _start = _end;
                    return searched > 0;
                }

                Fill();
            }
        }

        private void Fill()
        {
            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = source.Read(_buffer, _end, _buffer.Length - _end);
            _end += read;
            _eof = read == 0;
        }
    }
}
