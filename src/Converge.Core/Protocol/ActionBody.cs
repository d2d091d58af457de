using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Converge.Core.Actions;
using Converge.Core.Clock;
using Converge.Core.Export;

namespace Converge.Core.Protocol;

/// <summary>
/// The canonical body of an action: its wire form with members in ordinal order, values canonical, and no
/// server-owned members. Two pushes of the same action give the same bytes; the log stores them.
/// </summary>
internal static class ActionBody
{
    private const int MaxScratchBytes = 64 * 1024;

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? t_scratch;

    /// <summary>Writes an action's canonical body.</summary>
    public static void Write(Utf8JsonWriter writer, ConvergeAction action)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(action);
        var record = action as RecordAction;
        writer.WriteStartObject();
        if (record is not null)
        {
            writer.WriteString("collection", record.Collection);
        }

        if (action is SchemaAction schema)
        {
            writer.WritePropertyName("collections");
            SchemaJson.WriteCollections(writer, schema.Schema);
        }

        if (action is IncrementAction increment)
        {
            writer.WriteNumber("delta", increment.Delta);
            writer.WriteString("field", increment.Field);
        }

        if (action is SetElementAction element)
        {
            writer.WriteString("field", element.Field);
        }

        if (action is CreateAction or UpdateAction)
        {
            writer.WriteStartObject("fields");
            foreach (var (name, value) in action is CreateAction create ? create.Fields : ((UpdateAction)action).Fields)
            {
                writer.WritePropertyName(name);
                CanonicalJson.Write(writer, value);
            }

            writer.WriteEndObject();
        }

        Span<char> hlc = stackalloc char[HybridTimestamp.TextLength];
        action.Hlc.TryFormat(hlc, out _);
        writer.WriteString("hlc", hlc);
        writer.WriteString("id", action.Id);
        writer.WriteString("kind", ActionKinds.Name(action.Kind));
        if (action is CreateAction { OnConflict: not OnConflict.Merge } conflicting)
        {
            writer.WriteString("onConflict", ActionKinds.Name(conflicting.OnConflict));
        }

        if (record is not null)
        {
            writer.WriteString("record", record.Record);
        }

        if (action is SetElementAction withValue)
        {
            writer.WritePropertyName("value");
            CanonicalJson.Write(writer, withValue.Value);
        }

        writer.WriteEndObject();
    }

    /// <summary>An action's canonical body as UTF-8 bytes.</summary>
    /// <remarks>Thread-safe: each thread reuses its own buffer and writer, so a body costs one array, its own.</remarks>
    public static byte[] Serialize(ConvergeAction action)
    {
        var (buffer, writer) = t_scratch ?? (new ArrayBufferWriter<byte>(1024), new Utf8JsonWriter(Stream.Null, CanonicalJson.WriterOptions));
        t_scratch = null;
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        Write(writer, action);
        writer.Flush();
        var body = buffer.WrittenSpan.ToArray();

        // Kept for the next call unless one huge body grew it; a throw above drops it, so no half-written state is reused.
        if (buffer.Capacity <= MaxScratchBytes)
        {
            t_scratch = (buffer, writer);
        }

        return body;
    }

    /// <summary>The SHA-256 of a canonical body: equal for the same action, different for any other body.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> body) => SHA256.HashData(body);

    /// <summary>Reads a canonical body back into an action.</summary>
    /// <exception cref="FormatException">The bytes are not a valid action.</exception>
    public static ConvergeAction Deserialize(ReadOnlySpan<byte> body)
    {
        var wire = JsonSerializer.Deserialize(body, ConvergeJsonContext.Default.ActionWire) ?? throw new FormatException("An action body must be a JSON object.");
        var decoded = ActionCodec.Decode(wire);
        return decoded.IsOk ? decoded.Value : throw new FormatException(decoded.Error.Message);
    }
}
