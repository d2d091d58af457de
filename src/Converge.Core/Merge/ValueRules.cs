using System.Text.Json;
using Converge.Core.Schema;

namespace Converge.Core.Merge;

/// <summary>The type checks of values against the schema.</summary>
internal static class ValueRules
{
    /// <summary>Checks a value written to a field by a create (<paramref name="isCreate"/>) or an update.</summary>
    public static Rejection? CheckFieldValue(string collection, CollectionSchema schema, string field, JsonElement value, bool isCreate)
    {
        var declared = schema.FindField(field);
        if (declared is null)
        {
            return new Rejection(RejectionCodes.UnknownField, $"'{collection}' has no field '{field}', and the collection is not open.");
        }

        if (declared.Counter)
        {
            if (!isCreate)
            {
                return new Rejection(RejectionCodes.InvalidAction, $"'{collection}.{field}' is a counter: change it with an increment, not an update.");
            }

            return IsCounterAmount(declared, value) ? null : Mismatch(collection, field, declared, value);
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (!declared.IsSet)
        {
            return Matches(declared.Type, value) ? null : Mismatch(collection, field, declared, value);
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return Mismatch(collection, field, declared, value);
        }

        foreach (var element in value.EnumerateArray())
        {
            if (element.ValueKind == JsonValueKind.Null || !Matches(declared.Type, element))
            {
                return Mismatch(collection, field, declared, element);
            }
        }

        return null;
    }

    /// <summary>Refuses a set element larger than the limit, as written (its JSON text).</summary>
    public static Rejection? CheckElementSize(string where, JsonElement value, ApplyLimits limits) =>
        limits.MaxElementBytes < int.MaxValue && System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value).Length is var size && size > limits.MaxElementBytes
            ? new Rejection(RejectionCodes.SetTooLarge, $"An element of {where} takes {size} bytes; at most {limits.MaxElementBytes} are allowed for one set element.")
            : null;

    /// <summary>Checks one element of a set.</summary>
    public static Rejection? CheckElement(string collection, string field, FieldSchema declared, JsonElement value) =>
        value.ValueKind != JsonValueKind.Null && Matches(declared.Type, value) ? null : Mismatch(collection, field, declared, value);

    /// <summary>True when an amount suits the counter: an integer for a long counter, any number for a decimal one.</summary>
    public static bool IsCounterAmount(FieldSchema counter, JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && (counter.Type == FieldType.Long ? value.TryGetInt64(out _) : value.TryGetDecimal(out _));

    /// <summary>True when a (non-null) JSON value has the type.</summary>
    public static bool Matches(FieldType type, JsonElement value) => type switch
    {
        FieldType.String => value.ValueKind == JsonValueKind.String,
        FieldType.Long => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        FieldType.Double => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d),
        FieldType.Decimal => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out _),
        FieldType.Bool => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        FieldType.Instant => value.ValueKind == JsonValueKind.String && Instants.TryParse(value.GetString(), out _, out _),
        FieldType.Uuid or FieldType.Ref => value.ValueKind == JsonValueKind.String && Guid.TryParseExact(value.GetString(), "D", out _),
        _ => true,
    };

    private static Rejection Mismatch(string collection, string field, FieldSchema declared, JsonElement value)
    {
        var expected = declared.Counter
            ? $"a {SchemaNames.Of(declared.Type)} amount"
            : declared.IsSet ? $"an array of {SchemaNames.Of(declared.Type)} values" : $"a {SchemaNames.Of(declared.Type)} or null";
        var text = value.GetRawText();
        return new Rejection(RejectionCodes.TypeMismatch, $"'{collection}.{field}' takes {expected}; got {(text.Length > 80 ? text[..80] + "…" : text)}.");
    }
}
