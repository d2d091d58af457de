using System.Text.Json;
using Converge.Core.Protocol;

namespace Converge.Server.Push;

/// <summary>
/// Reads an ordinary push body in one pass: the body parsed once into one document, checked against the limits by
/// <see cref="JsonLimitCheck"/> and mapped to a <see cref="PushRequest"/> whose values point into that document.
/// </summary>
/// <remarks>
/// Only a body that passes every limit and has the plain shape the serializer would read the same way is read here:
/// anything else (a limit passed, malformed JSON, an unknown, duplicate, null or server-owned member, a schema action)
/// gives null, and the caller reads the body the long way, which gives the exact error code and message.
/// </remarks>
internal static class PushRequestReader
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>The request, or null when the body must be read and checked the long way.</summary>
    public static PushRequest? TryRead(ReadOnlySpan<byte> body, int maxDepth, int maxStringBytes)
    {
        // The limits first, by the same walk the long way takes (and clients take over each action): past it, reading any string cannot throw.
        if (JsonLimitCheck.Check(body, maxDepth, maxStringBytes) is not null)
        {
            return null;
        }

        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(body, ReaderOptions);
            root = JsonElement.ParseValue(ref reader);
            if (reader.Read())
            {
                return null;
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return root.ValueKind == JsonValueKind.Object ? ReadRequest(root) : null;
    }

    private static PushRequest? ReadRequest(JsonElement root)
    {
        string? clientId = null;
        List<ActionWire?>? actions = null;
        foreach (var member in root.EnumerateObject())
        {
            if (member.NameEquals("clientId"u8) && clientId is null && member.Value.ValueKind == JsonValueKind.String)
            {
                clientId = member.Value.GetString();
            }
            else if (member.NameEquals("actions"u8) && actions is null && member.Value.ValueKind == JsonValueKind.Array)
            {
                actions = new List<ActionWire?>(member.Value.GetArrayLength());
                foreach (var item in member.Value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Null)
                    {
                        actions.Add(null);
                    }
                    else if (item.ValueKind == JsonValueKind.Object && ReadAction(item) is { } wire)
                    {
                        actions.Add(wire);
                    }
                    else
                    {
                        return null;
                    }
                }
            }
            else
            {
                return null;
            }
        }

        return new PushRequest { ClientId = clientId, Actions = actions! };
    }

    private static ActionWire? ReadAction(JsonElement item)
    {
        string? id = null, hlc = null, kind = null, collection = null, record = null, field = null, onConflict = null;
        Dictionary<string, JsonElement>? fields = null;
        JsonElement? value = null, delta = null;
        foreach (var member in item.EnumerateObject())
        {
            var ok = member.NameEquals("id"u8) ? Text(member.Value, ref id)
                : member.NameEquals("hlc"u8) ? Text(member.Value, ref hlc)
                : member.NameEquals("kind"u8) ? Text(member.Value, ref kind)
                : member.NameEquals("collection"u8) ? Text(member.Value, ref collection)
                : member.NameEquals("record"u8) ? Text(member.Value, ref record)
                : member.NameEquals("field"u8) ? Text(member.Value, ref field)
                : member.NameEquals("onConflict"u8) ? Text(member.Value, ref onConflict)
                : member.NameEquals("fields"u8) ? fields is null && (fields = Fields(member.Value)) is not null
                : member.NameEquals("value"u8) ? Element(member.Value, ref value)
                : member.NameEquals("delta"u8) && Element(member.Value, ref delta);
            if (!ok)
            {
                return null;
            }
        }

        return new ActionWire
        {
            Id = id, Hlc = hlc, Kind = kind, Collection = collection, Record = record, Field = field, OnConflict = onConflict,
            Fields = fields, Value = value, Delta = delta,
        };
    }

    private static Dictionary<string, JsonElement>? Fields(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var fields = new Dictionary<string, JsonElement>();
        foreach (var member in value.EnumerateObject())
        {
            if (!fields.TryAdd(member.Name, member.Value))
            {
                return null;
            }
        }

        return fields;
    }

    /// <summary>A string member seen for the first time (a null, another type or a repeat is left to the serializer).</summary>
    private static bool Text(JsonElement value, ref string? slot)
    {
        if (slot is not null || value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        slot = value.GetString();
        return true;
    }

    /// <summary>A JSON value member seen for the first time, other than null.</summary>
    private static bool Element(JsonElement value, ref JsonElement? slot)
    {
        if (slot is not null || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        slot = value;
        return true;
    }
}
