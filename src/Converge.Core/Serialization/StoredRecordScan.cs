using System.Buffers.Text;
using System.Text.Json;
using Converge.Core.Clock;
using Converge.Core.Merge;

namespace Converge.Core.Serialization;

/// <summary>
/// What a bulk load needs of a record in its storage form (<see cref="RecordJson"/>): its key and its newest stamp,
/// read in one forward pass over the bytes, with no document and no copy of its values.
/// </summary>
/// <remarks>
/// Checks the same shape as <see cref="RecordJson.Deserialize"/>: a collection and an id, valid stamps, each field a
/// register (a value and its stamp), a counter or a set (elements with a key and a value).
/// </remarks>
internal static class StoredRecordScan
{
    /// <summary>
    /// The key and newest stamp (tombstone, register, set clear, element add or remove) of a stored record, and whether
    /// it holds a set with its elements (which a store keeps apart, so the bytes cannot be stored as they are).
    /// </summary>
    /// <exception cref="FormatException">The bytes are not a stored record.</exception>
    public static (RecordKey Key, HybridTimestamp Newest, bool HasSets) Scan(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            Expect(ref reader, JsonTokenType.StartObject);
            string? collection = null;
            Guid? id = null;
            var newest = HybridTimestamp.MinValue;
            var sets = false;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("c"u8))
                {
                    Expect(ref reader, JsonTokenType.String);
                    collection = reader.GetString();
                }
                else if (reader.ValueTextEquals("i"u8))
                {
                    Expect(ref reader, JsonTokenType.String);
                    id = !reader.ValueIsEscaped && reader.ValueSpan.Length == 36 && Utf8Parser.TryParse(reader.ValueSpan, out Guid parsed, out var used, 'D') && used == 36
                        ? parsed
                        : throw new FormatException($"{reader.GetString()} is not a record id.");
                }
                else if (reader.ValueTextEquals("o"u8))
                {
                    if (Next(ref reader) is not JsonTokenType.String and not JsonTokenType.Null)
                    {
                        throw new FormatException("A record's owner ('o') must be a string.");
                    }
                }
                else if (reader.ValueTextEquals("d"u8))
                {
                    newest = Max(newest, Stamp(ref reader));
                }
                else if (reader.ValueTextEquals("f"u8))
                {
                    newest = Max(newest, Fields(ref reader, ref sets));
                }
                else
                {
                    Skip(ref reader);
                }
            }

            if (collection is null || id is not { } record)
            {
                throw new FormatException("A stored record needs its collection ('c') and id ('i').");
            }

            return (new RecordKey(collection, record), newest, sets);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException("The bytes are not a stored record.", e);
        }
    }

    private static HybridTimestamp Fields(ref Utf8JsonReader reader, ref bool sets)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        var newest = HybridTimestamp.MinValue;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            Expect(ref reader, JsonTokenType.StartObject);
            bool value = false, stamp = false, total = false, elements = false;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("r"u8))
                {
                    value = true;
                    Skip(ref reader);
                }
                else if (reader.ValueTextEquals("h"u8) || reader.ValueTextEquals("c"u8))
                {
                    stamp |= reader.ValueTextEquals("h"u8);
                    newest = Max(newest, Stamp(ref reader));
                }
                else if (reader.ValueTextEquals("n"u8))
                {
                    Expect(ref reader, JsonTokenType.Number);
                    if (!reader.TryGetDecimal(out _))
                    {
                        // What RecordJson's GetDecimal would throw on: stored as it came, the record could never be read.
                        throw new FormatException("A counter's total is not a decimal number.");
                    }

                    total = true;
                }
                else if (reader.ValueTextEquals("s"u8))
                {
                    elements = true;
                    sets = true;
                    newest = Max(newest, Elements(ref reader));
                }
                else
                {
                    Skip(ref reader);
                }
            }

            if (value ? !stamp : !total && !elements)
            {
                throw new FormatException(value ? "A register needs its stamp ('h')." : "A field needs a value ('r'), a total ('n') or elements ('s').");
            }
        }

        return newest;
    }

    private static HybridTimestamp Elements(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        var newest = HybridTimestamp.MinValue;
        while (Next(ref reader) == JsonTokenType.StartObject)
        {
            bool key = false, value = false;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("k"u8))
                {
                    Expect(ref reader, JsonTokenType.String);
                    key = true;
                }
                else if (reader.ValueTextEquals("v"u8))
                {
                    value = true;
                    Skip(ref reader);
                }
                else if (reader.ValueTextEquals("a"u8) || reader.ValueTextEquals("x"u8))
                {
                    newest = Max(newest, Stamp(ref reader));
                }
                else
                {
                    Skip(ref reader);
                }
            }

            if (!key || !value)
            {
                throw new FormatException("A set element needs its key ('k') and value ('v').");
            }
        }

        return reader.TokenType == JsonTokenType.EndArray ? newest : throw new FormatException("A set's elements must be objects.");
    }

    /// <summary>Reads the stamp that is the value of the property the reader is on, straight from the bytes when it has no escapes.</summary>
    private static HybridTimestamp Stamp(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.String);
        if (reader.ValueIsEscaped || reader.ValueSpan.Length != HybridTimestamp.TextLength)
        {
            return HybridTimestamp.Parse(reader.GetString().AsSpan());
        }

        Span<char> text = stackalloc char[HybridTimestamp.TextLength];
        var raw = reader.ValueSpan;
        for (var i = 0; i < text.Length; i++)
        {
            // A non-ASCII byte never forms a valid stamp, so the strict parser rejects it either way.
            text[i] = (char)raw[i];
        }

        return HybridTimestamp.Parse(text);
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new FormatException("A stored record ends too early.");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (Next(ref reader) != type)
        {
            throw new FormatException($"A stored record has a {reader.TokenType} where a {type} belongs.");
        }
    }

    /// <summary>Moves past the value of the property the reader is on.</summary>
    private static void Skip(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        reader.Skip();
    }

    private static HybridTimestamp Max(HybridTimestamp a, HybridTimestamp b) => a > b ? a : b;
}
