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
public static class SnapshotFormat
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
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var header = ReadHeader(reader.ReadLine());
        var maxStamp = HybridTimestamp.MinValue;
        target.SetSchema(header.Schema);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.TryGetProperty("r", out var stored))
            {
                var record = RecordJson.Read(stored.Clone());
                target.SetRecord(record.Key, record);
                maxStamp = Max(maxStamp, NewestStamp(record));
                IndexUniques(target, header.Schema, record);
            }
            else if (root.TryGetProperty("a", out var alias))
            {
                target.SetAlias(new RecordKey(alias[0].GetString()!, Guid.ParseExact(alias[1].GetString()!, "D")), Guid.ParseExact(alias[2].GetString()!, "D"));
            }
            else
            {
                throw new FormatException("A snapshot line must hold an alias ('a') or a record ('r').");
            }
        }

        return header with { MaxStamp = maxStamp };
    }

    private static HybridTimestamp NewestStamp(RecordData record)
    {
        var newest = record.Deleted;
        foreach (var field in record.Fields.Values)
        {
            newest = field switch
            {
                RegisterState register => Max(newest, register.Hlc),
                SetState set => set.Elements.Values.Aggregate(Max(newest, set.Cleared), (m, e) => Max(Max(m, e.Added), e.Removed)),
                _ => newest,
            };
        }

        return newest;
    }

    private static HybridTimestamp Max(HybridTimestamp a, HybridTimestamp b) => a > b ? a : b;

    private static SnapshotHeader ReadHeader(string? line)
    {
        try
        {
            using var document = JsonDocument.Parse(line ?? throw new FormatException("The snapshot is empty."));
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
}
