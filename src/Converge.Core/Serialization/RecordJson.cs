using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text.Json;
using Converge.Core.Clock;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.State;

namespace Converge.Core.Serialization;

/// <summary>
/// The storage form of a record's full merge state, for stores and snapshots:
/// <c>{"c": collection, "i": id, "o": owner?, "d": deleted?, "f": {name: {"r": value, "h": hlc} | {"c": cleared?, "s": [{"k", "v", "a"?, "x"?}]} | {"c": cleared?, "e": count} | {"n": total}}}</c>:
/// a set is written with its elements (<c>"s"</c>) when materialized (snapshots), as a header (<c>"e"</c>, its element
/// count) when its elements are stored apart (a store's record rows).
/// </summary>
internal static class RecordJson
{
    private const int MaxKeptBuffer = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Writes a record's storage form.</summary>
    public static void Write(Utf8JsonWriter writer, RecordData record)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(record);
        writer.WriteStartObject();
        writer.WriteString("c", record.Key.Collection);
        Span<char> id = stackalloc char[36];
        record.Key.Id.TryFormat(id, out _, "D");
        writer.WriteString("i", id);
        if (record.Owner is not null)
        {
            writer.WriteString("o", record.Owner);
        }

        if (record.IsDeleted)
        {
            WriteStamp(writer, "d", record.Deleted);
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
                    WriteStamp(writer, "h", register.Hlc);
                    break;
                case SetState { Elements: null } header:
                    WriteStamp(writer, "c", header.Cleared);
                    writer.WriteNumber("e", header.Count);
                    break;
                case SetState set:
                    WriteStamp(writer, "c", set.Cleared);
                    writer.WriteStartArray("s");
                    foreach (var (key, element) in set.Elements!)
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

    /// <summary>Writes one set element's storage form, <c>{"v": value, "a": added?, "x": removed?}</c>.</summary>
    public static void WriteElement(Utf8JsonWriter writer, SetElement element)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(element);
        writer.WriteStartObject();
        writer.WritePropertyName("v");
        CanonicalJson.Write(writer, element.Value);
        WriteStamp(writer, "a", element.Added);
        WriteStamp(writer, "x", element.Removed);
        writer.WriteEndObject();
    }

    /// <summary>Reads one set element's storage form (from an element that outlives it).</summary>
    /// <exception cref="FormatException">The JSON is not a stored element.</exception>
    public static SetElement ReadElement(JsonElement element)
    {
        try
        {
            return new SetElement(element.GetProperty("v"), ReadStamp(element, "a"), ReadStamp(element, "x"));
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException("The JSON is not a stored set element.", e);
        }
    }

    /// <summary>One set element's storage form as UTF-8 bytes (<see cref="WriteElement"/>).</summary>
    public static byte[] SerializeElement(SetElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
        {
            WriteElement(writer, element);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads one set element's storage form from its bytes; the element keeps a copy of its value.</summary>
    /// <exception cref="FormatException">The bytes are not a stored element.</exception>
    public static SetElement DeserializeElement(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            using var document = JsonDocument.ParseValue(ref reader);
            var element = ReadElement(document.RootElement);
            return element with { Value = element.Value.Clone() };
        }
        catch (JsonException e)
        {
            throw new FormatException("The bytes are not a stored set element.", e);
        }
    }

    /// <summary>The storage form of a record as UTF-8 bytes.</summary>
    public static byte[] Serialize(RecordData record)
    {
        // One buffer and writer per thread, reused: a store writes records one after another, and a fresh growing
        // buffer per record was most of the garbage of a sync.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        Write(writer, record);
        writer.Flush();
        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > MaxKeptBuffer)
        {
            t_buffer = null;
            t_writer = null;
        }

        return bytes;
    }

    /// <summary>Reads a record's storage form.</summary>
    /// <exception cref="FormatException">The bytes are not a stored record.</exception>
    public static RecordData Deserialize(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            // A pooled document, returned at once: the record keeps only copies of its values, which is far less
            // garbage than a document of its own (this runs for every record a store reads).
            using var document = JsonDocument.ParseValue(ref reader);
            return ReadCore(document.RootElement, copyValues: true);
        }
        catch (JsonException e)
        {
            throw new FormatException("The bytes are not a stored record.", e);
        }
    }

    /// <summary>Reads a record's storage form from an element that outlives the record.</summary>
    /// <exception cref="FormatException">The element is not a stored record.</exception>
    public static RecordData Read(JsonElement root) => ReadCore(root, copyValues: false);

    private static RecordData ReadCore(JsonElement root, bool copyValues)
    {
        try
        {
            // One pass over each object (not a lookup per member): this runs for every record a store reads.
            string? collection = null;
            Guid? id = null;
            string? owner = null;
            var deleted = HybridTimestamp.MinValue;
            var fields = RecordData.NoFields;
            foreach (var member in root.EnumerateObject())
            {
                if (member.NameEquals("c"u8))
                {
                    collection = member.Value.GetString();
                }
                else if (member.NameEquals("i"u8))
                {
                    id = ParseId(member.Value);
                }
                else if (member.NameEquals("o"u8))
                {
                    owner = member.Value.GetString();
                }
                else if (member.NameEquals("d"u8))
                {
                    deleted = ParseStamp(member.Value);
                }
                else if (member.NameEquals("f"u8))
                {
                    fields = ReadFields(member.Value, copyValues);
                }
            }

            if (collection is null || id is not { } record)
            {
                throw new FormatException("A stored record needs its collection ('c') and id ('i').");
            }

            return new RecordData(new RecordKey(collection, record), owner, deleted, fields);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or ArgumentNullException or JsonException)
        {
            throw new FormatException("The JSON is not a stored record.", e);
        }
    }

    private static Guid ParseId(JsonElement element)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        if (element.ValueKind == JsonValueKind.String && raw.Length == 38 && System.Buffers.Text.Utf8Parser.TryParse(raw[1..^1], out Guid id, out var used, 'D') && used == 36)
        {
            return id;
        }

        throw new FormatException($"{element.GetRawText()} is not a record id.");
    }

    private static ImmutableSortedDictionary<string, FieldState> ReadFields(JsonElement fields, bool copyValues)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, FieldState>(StringComparer.Ordinal);
        foreach (var field in fields.EnumerateObject())
        {
            builder[field.Name] = ReadField(field.Value, copyValues);
        }

        return builder.ToImmutable();
    }

    private static FieldState ReadField(JsonElement field, bool copyValues)
    {
        JsonElement? value = null, stamp = null, total = null, elements = null, cleared = null, count = null;
        foreach (var member in field.EnumerateObject())
        {
            if (member.NameEquals("r"u8))
            {
                value = member.Value;
            }
            else if (member.NameEquals("h"u8))
            {
                stamp = member.Value;
            }
            else if (member.NameEquals("n"u8))
            {
                total = member.Value;
            }
            else if (member.NameEquals("s"u8))
            {
                elements = member.Value;
            }
            else if (member.NameEquals("c"u8))
            {
                cleared = member.Value;
            }
            else if (member.NameEquals("e"u8))
            {
                count = member.Value;
            }
        }

        if (value is { } register)
        {
            return new RegisterState(copyValues ? register.Clone() : register, ParseStamp(stamp ?? throw new KeyNotFoundException("A register needs its stamp ('h').")));
        }

        if (total is { } counter)
        {
            return new CounterState(counter.GetDecimal());
        }

        var clearedAt = cleared is { } c ? ParseStamp(c) : HybridTimestamp.MinValue;
        if (elements is null)
        {
            // A set header: its elements are stored apart.
            return new SetState(clearedAt, (count ?? throw new KeyNotFoundException("A field needs a value ('r'), a total ('n'), elements ('s') or an element count ('e').")).GetInt32());
        }

        var set = ImmutableSortedDictionary.CreateBuilder<string, SetElement>(StringComparer.Ordinal);
        foreach (var element in elements.Value.EnumerateArray())
        {
            var elementValue = element.GetProperty("v");
            set[element.GetProperty("k").GetString()!] = new SetElement(copyValues ? elementValue.Clone() : elementValue, ReadStamp(element, "a"), ReadStamp(element, "x"));
        }

        return SetState.Of(set.ToImmutable(), clearedAt);
    }

    private static void WriteStamp(Utf8JsonWriter writer, string name, HybridTimestamp stamp)
    {
        if (stamp.IsValid)
        {
            Span<char> text = stackalloc char[HybridTimestamp.TextLength];
            stamp.TryFormat(text, out _);
            writer.WriteString(name, text);
        }
    }

    private static HybridTimestamp ReadStamp(JsonElement element, string name) =>
        element.TryGetProperty(name, out var stamp) ? ParseStamp(stamp) : HybridTimestamp.MinValue;

    /// <summary>Parses a stamp straight from the JSON bytes (a stamp has no escapes), without a string per stamp.</summary>
    private static HybridTimestamp ParseStamp(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw new FormatException($"A stamp must be a string, not {element.ValueKind}.");
        }

        var raw = JsonMarshal.GetRawUtf8Value(element);
        if (raw.Length != HybridTimestamp.TextLength + 2)
        {
            return HybridTimestamp.Parse(element.GetString().AsSpan());
        }

        Span<char> text = stackalloc char[HybridTimestamp.TextLength];
        for (var i = 0; i < text.Length; i++)
        {
            // A non-ASCII or escaped byte never forms a valid stamp, so the strict parser rejects it either way.
            text[i] = (char)raw[i + 1];
        }

        return HybridTimestamp.Parse(text);
    }
}
