using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using Converge.Core.Clock;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.State;

namespace Converge.Core.Serialization;

/// <summary>
/// The storage form of a record's full merge state, for stores and snapshots:
/// <c>{"c": collection, "i": id, "o": owner?, "d": deleted?, "f": {name: {"r": value, "h": hlc} | {"c": cleared?, "s": [{"k", "v", "a"?, "x"?}]} | {"n": total}}}</c>.
/// </summary>
public static class RecordJson
{
    /// <summary>Writes a record's storage form.</summary>
    public static void Write(Utf8JsonWriter writer, RecordData record)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(record);
        writer.WriteStartObject();
        writer.WriteString("c", record.Key.Collection);
        writer.WriteString("i", record.Key.Id.ToString("D"));
        if (record.Owner is not null)
        {
            writer.WriteString("o", record.Owner);
        }

        if (record.IsDeleted)
        {
            writer.WriteString("d", record.Deleted.ToString());
        }

        writer.WriteStartObject("f");
        foreach (var (name, state) in record.Fields)
        {
            writer.WriteStartObject(name);
            switch (state)
            {
                case RegisterState register:
                    writer.WritePropertyName("r");
                    CanonicalJson.Write(writer, register.Value);
                    writer.WriteString("h", register.Hlc.ToString());
                    break;
                case SetState set:
                    WriteStamp(writer, "c", set.Cleared);
                    writer.WriteStartArray("s");
                    foreach (var (key, element) in set.Elements)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("k", key);
                        writer.WritePropertyName("v");
                        CanonicalJson.Write(writer, element.Value);
                        WriteStamp(writer, "a", element.Added);
                        WriteStamp(writer, "x", element.Removed);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    break;
                case CounterState counter:
                    writer.WriteNumber("n", counter.Total);
                    break;
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The storage form of a record as UTF-8 bytes.</summary>
    public static byte[] Serialize(RecordData record)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
        {
            Write(writer, record);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a record's storage form.</summary>
    /// <exception cref="FormatException">The bytes are not a stored record.</exception>
    public static RecordData Deserialize(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        return Read(document.RootElement.Clone());
    }

    /// <summary>Reads a record's storage form from an element that outlives the record.</summary>
    /// <exception cref="FormatException">The element is not a stored record.</exception>
    public static RecordData Read(JsonElement root)
    {
        try
        {
            var key = new RecordKey(root.GetProperty("c").GetString()!, Guid.ParseExact(root.GetProperty("i").GetString()!, "D"));
            var owner = root.TryGetProperty("o", out var o) ? o.GetString() : null;
            var deleted = root.TryGetProperty("d", out var d) ? HybridTimestamp.Parse(d.GetString()) : HybridTimestamp.MinValue;
            var fields = ImmutableSortedDictionary.CreateBuilder<string, FieldState>(StringComparer.Ordinal);
            foreach (var field in root.GetProperty("f").EnumerateObject())
            {
                fields[field.Name] = ReadField(field.Value);
            }

            return new RecordData(key, owner, deleted, fields.ToImmutable());
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or ArgumentNullException)
        {
            throw new FormatException("The JSON is not a stored record.", e);
        }
    }

    private static FieldState ReadField(JsonElement field)
    {
        if (field.TryGetProperty("r", out var value))
        {
            return new RegisterState(value, HybridTimestamp.Parse(field.GetProperty("h").GetString()));
        }

        if (field.TryGetProperty("n", out var total))
        {
            return new CounterState(total.GetDecimal());
        }

        var elements = ImmutableSortedDictionary.CreateBuilder<string, SetElement>(StringComparer.Ordinal);
        foreach (var element in field.GetProperty("s").EnumerateArray())
        {
            elements[element.GetProperty("k").GetString()!] = new SetElement(element.GetProperty("v"), ReadStamp(element, "a"), ReadStamp(element, "x"));
        }

        return new SetState(elements.ToImmutable(), ReadStamp(field, "c"));
    }

    private static void WriteStamp(Utf8JsonWriter writer, string name, HybridTimestamp stamp)
    {
        if (stamp.IsValid)
        {
            writer.WriteString(name, stamp.ToString());
        }
    }

    private static HybridTimestamp ReadStamp(JsonElement element, string name) =>
        element.TryGetProperty(name, out var stamp) ? HybridTimestamp.Parse(stamp.GetString().AsSpan()) : HybridTimestamp.MinValue;
}
