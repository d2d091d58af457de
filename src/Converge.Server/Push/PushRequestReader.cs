using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using Converge.Core.Protocol;

namespace Converge.Server.Push;

/// <summary>
/// Reads an ordinary push body in one pass: the body parsed once into one document, checked against the limits of
/// <see cref="Endpoints.JsonLimits"/> and mapped to a <see cref="PushRequest"/> whose values point into that document.
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
        if (!Utf8.IsValid(body))
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

        return root.ValueKind == JsonValueKind.Object && WithinLimits(root, 0, maxDepth, maxStringBytes) ? ReadRequest(root) : null;
    }

    /// <summary>
    /// True when no token is deeper than <paramref name="maxDepth"/>, no string or name longer than
    /// <paramref name="maxStringBytes"/> and none escapes a lone surrogate, as <see cref="Endpoints.JsonLimits"/> checks them
    /// (so that reading any string here cannot throw).
    /// </summary>
    private static bool WithinLimits(JsonElement element, int depth, int maxDepth, int maxStringBytes)
    {
        // A token's depth is the number of containers around it; a member's name sits at its value's depth.
        if (depth > maxDepth)
        {
            return false;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    var name = JsonMarshal.GetRawUtf8PropertyName(member);
                    if (name.Length > maxStringBytes || JsonText.HasLoneSurrogate(name) || !WithinLimits(member.Value, depth + 1, maxDepth, maxStringBytes))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!WithinLimits(item, depth + 1, maxDepth, maxStringBytes))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.String:
                var raw = JsonMarshal.GetRawUtf8Value(element);
                return raw.Length - 2 <= maxStringBytes && !JsonText.HasLoneSurrogate(raw);
            default:
                return true;
        }
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
