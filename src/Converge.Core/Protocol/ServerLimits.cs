using System.Text.Json;
using Converge.Core.Merge;

namespace Converge.Core.Protocol;

/// <summary>
/// The limits a server holds every push to, with their defaults: one definition for the server, which enforces them,
/// and for its clients, which check each action against them when it is written, so that nothing a client queues is
/// refused for its size. A server sends its own at <c>GET /v1/streams/{stream}/limits</c>.
/// </summary>
/// <remarks>Immutable. On the wire (<see cref="Write"/>, <see cref="Parse"/>) members a reader does not know are skipped and members missing keep their defaults, so a server can add a limit without breaking its clients.</remarks>
public sealed record ServerLimits
{
    /// <summary>The defaults of a server nobody configured.</summary>
    public static ServerLimits Default { get; } = new();

    /// <summary>The largest request body, in bytes (<c>body_too_large</c>). Default 4 MiB.</summary>
    public int MaxRequestBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>The most actions one push may carry (<c>too_many_actions</c>). Default 1,000.</summary>
    public int MaxActionsPerPush { get; init; } = 1000;

    /// <summary>The deepest nesting of JSON a request may have (<c>json_too_deep</c>). Default 32.</summary>
    public int MaxJsonDepth { get; init; } = 32;

    /// <summary>The longest JSON string or member name a request may carry, in bytes as sent (<c>string_too_long</c>). Default 256 KiB.</summary>
    public int MaxStringBytes { get; init; } = 256 * 1024;

    /// <summary>The most collections a stream's schema may declare (<c>schema_too_large</c>). Default 500.</summary>
    public int MaxCollections { get; init; } = 500;

    /// <summary>The most fields one collection may declare (<c>schema_too_large</c>). Default 200.</summary>
    public int MaxFieldsPerCollection { get; init; } = 200;

    /// <summary>The most fields a stream's schema may declare in all its collections (<c>schema_too_large</c>). Default 10,000.</summary>
    public int MaxSchemaFields { get; init; } = 10_000;

    /// <summary>The most elements one set field may hold present (<c>set_too_large</c>). Default 10,000.</summary>
    public int MaxSetElements { get; init; } = 10_000;

    /// <summary>The largest set element, in bytes of its JSON text (<c>set_too_large</c>). Default 1 KiB.</summary>
    public int MaxElementBytes { get; init; } = 1024;

    /// <summary>About the largest a record's stored values and stamps may grow, in bytes, sets aside (<c>record_too_large</c>). Default 512 KiB.</summary>
    public int MaxRecordBytes { get; init; } = 512 * 1024;

    /// <summary>
    /// The largest canonical body one action may have, in bytes: a quarter of <see cref="MaxRequestBodyBytes"/>, so one
    /// action always fits a push with room to spare (1 MiB by default).
    /// </summary>
    public int MaxActionBytes => Math.Max(1, MaxRequestBodyBytes / 4);

    /// <summary>True when every limit is positive: anything else is not a server's answer to trust.</summary>
    public bool IsValid =>
        MaxRequestBodyBytes > 0 && MaxActionsPerPush > 0 && MaxJsonDepth > JsonLimitCheck.ActionDepthInPush && MaxStringBytes > 0 && MaxCollections > 0
        && MaxFieldsPerCollection > 0 && MaxSchemaFields > 0 && MaxSetElements > 0 && MaxElementBytes > 0 && MaxRecordBytes > 0;

    /// <summary>The limits the merge engine applies to a new action (schema, set and record sizes).</summary>
    internal ApplyLimits ToApplyLimits() => new()
    {
        MaxCollections = MaxCollections,
        MaxFieldsPerCollection = MaxFieldsPerCollection,
        MaxSchemaFields = MaxSchemaFields,
        MaxSetElements = MaxSetElements,
        MaxElementBytes = MaxElementBytes,
        MaxRecordBytes = MaxRecordBytes,
    };

    /// <summary>
    /// Why the server would refuse a push of this one action for its JSON, with the server's code, or null when it
    /// would not: too large to fit a push, nested too deep once inside one, a string too long.
    /// </summary>
    internal Rejection? CheckAction(ActionEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var body = envelope.Body.Span;
        return body.Length > MaxActionBytes
            ? new Rejection(JsonLimitCodes.BodyTooLarge, $"The action is {body.Length} bytes; one action may be at most {MaxActionBytes} bytes, so that it fits a push.")
            : JsonLimitCheck.Check(body, MaxJsonDepth, MaxStringBytes, JsonLimitCheck.ActionDepthInPush);
    }

    /// <summary>Writes the limits as a JSON object of camelCase numbers.</summary>
    internal void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("maxRequestBodyBytes", MaxRequestBodyBytes);
        writer.WriteNumber("maxActionsPerPush", MaxActionsPerPush);
        writer.WriteNumber("maxJsonDepth", MaxJsonDepth);
        writer.WriteNumber("maxStringBytes", MaxStringBytes);
        writer.WriteNumber("maxCollections", MaxCollections);
        writer.WriteNumber("maxFieldsPerCollection", MaxFieldsPerCollection);
        writer.WriteNumber("maxSchemaFields", MaxSchemaFields);
        writer.WriteNumber("maxSetElements", MaxSetElements);
        writer.WriteNumber("maxElementBytes", MaxElementBytes);
        writer.WriteNumber("maxRecordBytes", MaxRecordBytes);
        writer.WriteEndObject();
    }

    /// <summary>The limits as JSON text, as <see cref="Write"/> writes them.</summary>
    internal string ToJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads limits written by <see cref="Write"/>: unknown members skipped, missing ones at their defaults.</summary>
    /// <exception cref="FormatException">The text is not a JSON object, or a known member is not a 32-bit integer.</exception>
    internal static ServerLimits Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("Server limits must be a JSON object.");
            }

            var limits = Default;
            foreach (var member in document.RootElement.EnumerateObject())
            {
                limits = With(limits, member);
            }

            return limits;
        }
        catch (JsonException e)
        {
            throw new FormatException($"Server limits must be well-formed JSON: {e.Message}", e);
        }
    }

    private static ServerLimits With(ServerLimits limits, JsonProperty member)
    {
        int Value() => member.Value.ValueKind == JsonValueKind.Number && member.Value.TryGetInt32(out var value)
            ? value
            : throw new FormatException($"The server limit '{member.Name}' must be a 32-bit integer.");

        return member.Name switch
        {
            "maxRequestBodyBytes" => limits with { MaxRequestBodyBytes = Value() },
            "maxActionsPerPush" => limits with { MaxActionsPerPush = Value() },
            "maxJsonDepth" => limits with { MaxJsonDepth = Value() },
            "maxStringBytes" => limits with { MaxStringBytes = Value() },
            "maxCollections" => limits with { MaxCollections = Value() },
            "maxFieldsPerCollection" => limits with { MaxFieldsPerCollection = Value() },
            "maxSchemaFields" => limits with { MaxSchemaFields = Value() },
            "maxSetElements" => limits with { MaxSetElements = Value() },
            "maxElementBytes" => limits with { MaxElementBytes = Value() },
            "maxRecordBytes" => limits with { MaxRecordBytes = Value() },
            _ => limits,
        };
    }
}
