using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Converge.Core.Merge;

namespace Converge.Core.Export;

/// <summary>
/// The canonical export of a state: <c>{"aliases": {...}, "records": {...}, "schema": {...}}</c>, every member
/// sorted, live records only, one line. Converged replicas export byte-identical text.
/// </summary>
internal static class CanonicalExport
{
    /// <summary>Writes the export of a state.</summary>
    public static void Write(Utf8JsonWriter writer, IExportableState state)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(state);
        var schema = state.GetSchema();
        writer.WriteStartObject();

        writer.WriteStartObject("aliases");
        string? open = null;
        foreach (var (alias, canonical) in state.ReadAliases())
        {
            if (open != alias.Collection)
            {
                if (open is not null)
                {
                    writer.WriteEndObject();
                }

                writer.WriteStartObject(alias.Collection);
                open = alias.Collection;
            }

            writer.WriteString(alias.Id.ToString("D"), canonical.ToString("D"));
        }

        if (open is not null)
        {
            writer.WriteEndObject();
        }

        writer.WriteEndObject();

        writer.WriteStartObject("records");
        using (var records = state.ReadRecords().GetEnumerator())
        {
            var more = records.MoveNext();
            foreach (var collection in schema.Collections.Keys)
            {
                writer.WriteStartArray(collection);
                while (more && string.CompareOrdinal(records.Current.Key.Collection, collection) <= 0)
                {
                    if (records.Current.Key.Collection == collection && !records.Current.IsDeleted)
                    {
                        RecordView.Write(writer, records.Current);
                    }

                    more = records.MoveNext();
                }

                writer.WriteEndArray();
            }
        }

        writer.WriteEndObject();

        writer.WritePropertyName("schema");
        SchemaJson.Write(writer, schema);
        writer.WriteEndObject();
    }

    /// <summary>The export of a state as UTF-8 bytes.</summary>
    public static byte[] ToBytes(IExportableState state)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
        {
            Write(writer, state);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The export of a state as text.</summary>
    public static string ToText(IExportableState state) => Encoding.UTF8.GetString(ToBytes(state));

    /// <summary>The SHA-256 of an export, in lower-case hexadecimal.</summary>
    public static string Digest(ReadOnlySpan<byte> export) => Convert.ToHexStringLower(SHA256.HashData(export));
}
