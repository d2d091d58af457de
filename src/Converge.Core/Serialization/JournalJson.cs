using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.State;

namespace Converge.Core.Serialization;

/// <summary>
/// The storage form of an undo journal: an array of prior images,
/// <c>{"t": "r" | "e" | "a" | "u" | "s", ...}</c> for a record, a set element, an alias, a unique entry or the schema.
/// </summary>
internal static class JournalJson
{
    /// <summary>The storage form of a journal as UTF-8 bytes.</summary>
    public static byte[] Serialize(UndoJournal journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
        {
            writer.WriteStartArray();
            foreach (var entry in journal.Entries)
            {
                writer.WriteStartObject();
                switch (entry)
                {
                    case RecordImage image:
                        writer.WriteString("t", "r");
                        WriteKey(writer, image.Key);
                        writer.WritePropertyName("v");
                        if (image.Record is null)
                        {
                            writer.WriteNullValue();
                        }
                        else
                        {
                            RecordJson.Write(writer, image.Record);
                        }

                        break;
                    case ElementImage element:
                        writer.WriteString("t", "e");
                        WriteKey(writer, element.Key);
                        writer.WriteString("f", element.Field);
                        writer.WriteString("k", element.ElementKey);
                        writer.WritePropertyName("v");
                        if (element.Element is { } before)
                        {
                            RecordJson.WriteElement(writer, before);
                        }
                        else
                        {
                            writer.WriteNullValue();
                        }

                        break;
                    case AliasImage alias:
                        writer.WriteString("t", "a");
                        WriteKey(writer, alias.Key);
                        WriteId(writer, alias.Canonical);
                        break;
                    case UniqueImage unique:
                        writer.WriteString("t", "u");
                        writer.WriteString("c", unique.Key.Collection);
                        writer.WriteString("f", unique.Key.Field);
                        writer.WriteString("x", unique.Key.Value);
                        WriteId(writer, unique.Record);
                        break;
                    case SchemaImage schema:
                        writer.WriteString("t", "s");
                        writer.WritePropertyName("v");
                        SchemaJson.Write(writer, schema.Schema);
                        break;
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a journal's storage form.</summary>
    /// <exception cref="FormatException">The bytes are not a stored journal.</exception>
    public static UndoJournal Deserialize(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement.Clone();
        var entries = ImmutableArray.CreateBuilder<JournalEntry>();
        foreach (var entry in root.EnumerateArray())
        {
            var value = entry.TryGetProperty("v", out var v) ? v : default;
            entries.Add(entry.GetProperty("t").GetString() switch
            {
                "r" => new RecordImage(ReadKey(entry), value.ValueKind == JsonValueKind.Null ? null : RecordJson.Read(value)),
                "e" => new ElementImage(ReadKey(entry), entry.GetProperty("f").GetString()!, entry.GetProperty("k").GetString()!, value.ValueKind == JsonValueKind.Null ? null : RecordJson.ReadElement(value)),
                "a" => new AliasImage(ReadKey(entry), ReadId(value)),
                "u" => new UniqueImage(new UniqueKey(entry.GetProperty("c").GetString()!, entry.GetProperty("f").GetString()!, entry.GetProperty("x").GetString()!), ReadId(value)),
                "s" => new SchemaImage(SchemaJson.Deserialize(System.Text.Encoding.UTF8.GetBytes(value.GetRawText()))),
                var t => throw new FormatException($"Unknown journal entry type '{t}'."),
            });
        }

        return entries.Count == 0 ? UndoJournal.Empty : new UndoJournal(entries.ToImmutable());
    }

    private static void WriteKey(Utf8JsonWriter writer, RecordKey key)
    {
        writer.WriteString("c", key.Collection);
        writer.WriteString("i", key.Id.ToString("D"));
    }

    private static void WriteId(Utf8JsonWriter writer, Guid? id)
    {
        if (id is { } value)
        {
            writer.WriteString("v", value.ToString("D"));
        }
        else
        {
            writer.WriteNull("v");
        }
    }

    private static RecordKey ReadKey(JsonElement entry) =>
        new(entry.GetProperty("c").GetString()!, Guid.ParseExact(entry.GetProperty("i").GetString()!, "D"));

    private static Guid? ReadId(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? Guid.ParseExact(value.GetString()!, "D") : null;
}
