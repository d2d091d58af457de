using System.Collections.Immutable;
using System.Text.Json;
using Converge.Core.Actions;
using Converge.Core.Clock;
using Converge.Core.Schema;

namespace Converge.Client;

/// <summary>Actions waiting for their stamp: each write makes one, and the write path stamps it inside its transaction.</summary>
internal static class ActionDrafts
{
    public static Func<HybridTimestamp, ConvergeAction> Schema(Func<Guid> ids, StreamSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return hlc => new SchemaAction { Id = ids(), Hlc = hlc, Schema = schema };
    }

    public static Func<HybridTimestamp, ConvergeAction> Create(Func<Guid> ids, string collection, JsonElement fields, Guid record, OnConflict onConflict)
    {
        var values = FieldsOf(fields);
        return hlc => new CreateAction { Id = ids(), Hlc = hlc, Collection = collection, Record = record, Fields = values, OnConflict = onConflict };
    }

    public static Func<HybridTimestamp, ConvergeAction> Update(Func<Guid> ids, string collection, Guid record, JsonElement fields)
    {
        var values = FieldsOf(fields);
        if (values.IsEmpty)
        {
            throw new ArgumentException("An update needs at least one field.", nameof(fields));
        }

        return hlc => new UpdateAction { Id = ids(), Hlc = hlc, Collection = collection, Record = record, Fields = values };
    }

    public static Func<HybridTimestamp, ConvergeAction> Delete(Func<Guid> ids, string collection, Guid record) =>
        hlc => new DeleteAction { Id = ids(), Hlc = hlc, Collection = collection, Record = record };

    public static Func<HybridTimestamp, ConvergeAction> Add(Func<Guid> ids, string collection, Guid record, string field, JsonElement value)
    {
        var element = Text(value, nameof(value)).Clone();
        return hlc => new AddAction { Id = ids(), Hlc = hlc, Collection = collection, Record = record, Field = field, Value = element };
    }

    public static Func<HybridTimestamp, ConvergeAction> Remove(Func<Guid> ids, string collection, Guid record, string field, JsonElement value)
    {
        var element = Text(value, nameof(value)).Clone();
        return hlc => new RemoveAction { Id = ids(), Hlc = hlc, Collection = collection, Record = record, Field = field, Value = element };
    }

    public static Func<HybridTimestamp, ConvergeAction> Increment(Func<Guid> ids, string collection, Guid record, string field, decimal delta) =>
        hlc => new IncrementAction { Id = ids(), Hlc = hlc, Collection = collection, Record = record, Field = field, Delta = delta };

    /// <summary>The value, unless a string or member name in it escapes a lone surrogate: such JSON is not text, and no replica could store it.</summary>
    private static JsonElement Text(JsonElement value, string parameter) =>
        Core.Protocol.JsonText.IsText(value) ? value : throw new ArgumentException("The JSON holds a string that is not text (an escaped lone surrogate such as \\ud800); nothing was written.", parameter);

    private static ImmutableSortedDictionary<string, JsonElement> FieldsOf(JsonElement fields)
    {
        if (fields.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("Fields must be a JSON object.", nameof(fields));
        }

        Text(fields, nameof(fields));
        var builder = ImmutableSortedDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
        foreach (var field in fields.EnumerateObject())
        {
            builder[field.Name] = field.Value.Clone();
        }

        return builder.ToImmutable();
    }
}
