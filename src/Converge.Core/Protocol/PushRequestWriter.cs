using System.Buffers;
using System.Text.Json;
using Converge.Core.Export;

namespace Converge.Core.Protocol;

/// <summary>
/// Writes a <see cref="PushRequest"/> body from envelopes: each action's canonical bytes go in as they are, not
/// through <see cref="ActionWire"/> and the serializer. The body reads as the same request.
/// </summary>
internal static class PushRequestWriter
{
    /// <summary>Writes <c>{"clientId":"...","actions":[body,...]}</c>.</summary>
    public static void Write(Utf8JsonWriter writer, Guid clientId, IEnumerable<ActionEnvelope> actions)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(actions);
        writer.WriteStartObject();
        writer.WriteString("clientId", clientId);
        writer.WriteStartArray("actions");
        foreach (var envelope in actions)
        {
            // The bytes were written by ActionBody (or read back from a log of them): valid JSON already.
            writer.WriteRawValue(envelope.Body.Span, skipInputValidation: true);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The request body as UTF-8 bytes.</summary>
    public static byte[] Serialize(Guid clientId, IEnumerable<ActionEnvelope> actions)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
        {
            Write(writer, clientId, actions);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
