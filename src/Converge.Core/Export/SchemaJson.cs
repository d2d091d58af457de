using System.Buffers;
using System.Text.Json;
using Converge.Core.Protocol;
using Converge.Core.Schema;

namespace Converge.Core.Export;

/// <summary>The canonical JSON of a schema, <c>{"collections": {...}}</c>, every attribute spelled out and sorted.</summary>
internal static class SchemaJson
{
    /// <summary>Writes a schema canonically.</summary>
    public static void Write(Utf8JsonWriter writer, StreamSchema schema)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(schema);
        writer.WriteStartObject();
        writer.WritePropertyName("collections");
        WriteCollections(writer, schema);
        writer.WriteEndObject();
    }

    /// <summary>Writes the value of a schema's <c>collections</c> member canonically.</summary>
    public static void WriteCollections(Utf8JsonWriter writer, StreamSchema schema)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(schema);
        writer.WriteStartObject();
        foreach (var (name, collection) in schema.Collections)
        {
            writer.WriteStartObject(name);
            writer.WriteStartObject("fields");
            foreach (var (fieldName, field) in collection.Fields)
            {
                writer.WriteStartObject(fieldName);
                writer.WriteString("cardinality", SchemaNames.Of(field.Cardinality));
                if (field.Counter)
                {
                    writer.WriteBoolean("counter", true);
                }

                if (field.GrowOnly)
                {
                    writer.WriteBoolean("growOnly", true);
                }

                if (field.Target is not null)
                {
                    writer.WriteString("target", field.Target);
                }

                writer.WriteString("type", SchemaNames.Of(field.Type));
                if (SchemaNames.Of(field.Unique) is { } unique)
                {
                    writer.WriteString("unique", unique);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteBoolean("open", collection.Open);
            writer.WriteBoolean("owned", collection.Owned);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>The canonical UTF-8 JSON of a schema.</summary>
    public static byte[] Serialize(StreamSchema schema)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
        {
            Write(writer, schema);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a schema written by <see cref="Serialize"/> (or any schema in the wire form).</summary>
    /// <exception cref="FormatException">The JSON is not a valid schema.</exception>
    public static StreamSchema Deserialize(ReadOnlySpan<byte> json)
    {
        var wire = JsonSerializer.Deserialize(json, ConvergeJsonContext.Default.SchemaWire)
            ?? throw new FormatException("A schema must be a JSON object.");
        if (wire.Collections is null || wire.Collections.Count == 0)
        {
            return StreamSchema.Empty;
        }

        var decoded = SchemaCodec.Decode(wire);
        return decoded.IsOk ? decoded.Value : throw new FormatException(decoded.Error.Message);
    }
}
