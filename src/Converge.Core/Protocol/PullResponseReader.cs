using System.Text.Json;

namespace Converge.Core.Protocol;

/// <summary>
/// Reads a pull's answer (<see cref="PullResponse"/>) into envelopes whose bodies are the bytes the server sent, with the
/// members only the server sets taken out: a Converge server sends each stored canonical body as it is, so those bytes
/// are the log's own and nothing is serialized again.
/// </summary>
/// <remarks>As strict as the serializer: unknown or repeated members are refused, and every action is checked as <see cref="ActionCodec.DecodeLogged"/> checks it.</remarks>
internal static class PullResponseReader
{
    private const int MaxMembers = 32;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>Reads the answer; the envelopes' bodies are copies, so <paramref name="body"/> may be reused afterwards.</summary>
    /// <exception cref="FormatException">The bytes are not a pull answer, or hold an action that is not valid.</exception>
    public static PulledPage Read(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new FormatException($"A pull answer must be well-formed JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("A pull answer must be a JSON object.");
            }

            List<LoggedEnvelope>? actions = null;
            long? head = null;
            string? principal = null;
            DateTimeOffset? serverTime = null;
            foreach (var member in root.EnumerateObject())
            {
                var value = member.Value;
                if (member.NameEquals("actions"u8) && actions is null && value.ValueKind == JsonValueKind.Array)
                {
                    actions = new List<LoggedEnvelope>(value.GetArrayLength());
                    foreach (var item in value.EnumerateArray())
                    {
                        actions.Add(ReadAction(item));
                    }
                }
                else if (member.NameEquals("head"u8) && head is null && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var index))
                {
                    head = index;
                }
                else if (member.NameEquals("principal"u8) && principal is null && value.ValueKind is JsonValueKind.String or JsonValueKind.Null)
                {
                    principal = value.GetString() ?? "";
                }
                else if (member.NameEquals("serverTime"u8) && serverTime is null && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var time))
                {
                    serverTime = time;
                }
                else
                {
                    throw new FormatException($"A pull answer may not carry '{member.Name}' as it does (unknown, repeated or of the wrong type).");
                }
            }

            return actions is null
                ? throw new FormatException("A pull answer needs 'actions'.")
                : new PulledPage(actions, head ?? 0, principal is { Length: > 0 } ? principal : null, serverTime ?? default);
        }
    }

    /// <summary>Reads one logged action: checked through its wire form, its body cut from the bytes as sent.</summary>
    private static LoggedEnvelope ReadAction(JsonElement item)
    {
        ActionWire? wire;
        try
        {
            wire = item.ValueKind == JsonValueKind.Object ? item.Deserialize(ConvergeJsonContext.Default.ActionWire) : null;
        }
        catch (JsonException e)
        {
            throw new FormatException($"The server sent an action this client cannot read: {e.Message}", e);
        }

        if (wire is null)
        {
            throw new FormatException("The server sent an action that is not a JSON object.");
        }

        var decoded = ActionCodec.DecodeLogged(wire);
        if (!decoded.IsOk)
        {
            throw new FormatException($"The server sent an action this client cannot read: {decoded.Error.Message}");
        }

        var logged = decoded.Value;
        var body = WithoutServerMembers(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(item));
        return new LoggedEnvelope(logged.Index, logged.ClientId, logged.Principal, ActionEnvelope.FromCanonical(logged.Action, body));
    }

    /// <summary>The object's bytes without its <c>index</c>, <c>clientId</c> and <c>principal</c> members, everything else as it was.</summary>
    internal static byte[] WithoutServerMembers(ReadOnlySpan<byte> raw)
    {
        Span<int> ranges = stackalloc int[MaxMembers * 2];
        var kept = 0;
        var length = 2;
        var reader = new Utf8JsonReader(raw);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var start = (int)reader.TokenStartIndex;
            var serverOwned = reader.ValueTextEquals("index"u8) || reader.ValueTextEquals("clientId"u8) || reader.ValueTextEquals("principal"u8);
            reader.Read();
            reader.Skip();
            var end = (int)reader.BytesConsumed;
            if (serverOwned)
            {
                continue;
            }

            if (kept == MaxMembers)
            {
                throw new FormatException("The server sent an action with more members than any action has.");
            }

            ranges[2 * kept] = start;
            ranges[(2 * kept) + 1] = end;
            length += end - start + (kept > 0 ? 1 : 0);
            kept++;
        }

        var body = new byte[length];
        body[0] = (byte)'{';
        var at = 1;
        for (var i = 0; i < kept; i++)
        {
            if (i > 0)
            {
                body[at++] = (byte)',';
            }

            var member = raw[ranges[2 * i]..ranges[(2 * i) + 1]];
            member.CopyTo(body.AsSpan(at));
            at += member.Length;
        }

        body[at] = (byte)'}';
        return body;
    }
}
