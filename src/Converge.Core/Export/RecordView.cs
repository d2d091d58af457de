using System.Buffers;
using System.Text;
using System.Text.Json;
using Converge.Core.State;

namespace Converge.Core.Export;

/// <summary>
/// What a user sees of a record: <c>{"id": ..., field: value, ...}</c>, fields in ordinal order; sets as arrays of
/// their present elements in canonical order; counters as numbers; cleared fields and empty sets left out.
/// </summary>
internal static class RecordView
{
    /// <summary>Writes the view of a live record.</summary>
    public static void Write(Utf8JsonWriter writer, RecordData record)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(record);
        writer.WriteStartObject();
        writer.WriteString("id", record.Key.Id.ToString("D"));
        foreach (var (name, state) in record.Fields)
        {
            switch (state)
            {
                case RegisterState { Value.ValueKind: not JsonValueKind.Null } register:
                    writer.WritePropertyName(name);
                    CanonicalJson.Write(writer, register.Value);
                    break;
                case SetState set when set.Present.Any():
                    writer.WriteStartArray(name);
                    foreach (var element in set.Present)
                    {
                        CanonicalJson.Write(writer, element.Value);
                    }

                    writer.WriteEndArray();
                    break;
                case CounterState counter:
                    writer.WriteNumber(name, counter.Total);
                    break;
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>The view of a live record as JSON text.</summary>
    public static string ToText(RecordData record)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
        {
            Write(writer, record);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
