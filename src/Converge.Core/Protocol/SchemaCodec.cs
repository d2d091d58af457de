using System.Collections.Immutable;
using Converge.Core.Schema;

namespace Converge.Core.Protocol;

/// <summary>Reads and writes schemas in their wire form.</summary>
internal static class SchemaCodec
{
    /// <summary>Reads a schema's collections; every rule of a declaration is checked.</summary>
    public static Decoded<StreamSchema> Decode(IReadOnlyDictionary<string, CollectionWire>? collections)
    {
        if (collections is null || collections.Count == 0)
        {
            return Decoded<StreamSchema>.Fail(RejectionCodes.InvalidSchema, "A schema must declare at least one collection in 'collections'.");
        }

        var result = ImmutableSortedDictionary.CreateBuilder<string, CollectionSchema>(StringComparer.Ordinal);
        foreach (var (name, wire) in collections)
        {
            if (wire is null)
            {
                return Decoded<StreamSchema>.Fail(RejectionCodes.InvalidSchema, $"Collection '{name}' must be an object.");
            }

            var fields = ImmutableSortedDictionary.CreateBuilder<string, FieldSchema>(StringComparer.Ordinal);
            foreach (var (fieldName, field) in wire.Fields ?? [])
            {
                var decoded = DecodeField(name, fieldName, field);
                if (!decoded.IsOk)
                {
                    return Decoded<StreamSchema>.Fail(decoded.Error);
                }

                fields[fieldName] = decoded.Value;
            }

            result[name] = new CollectionSchema(wire.Owned ?? false, wire.Open ?? false, fields.ToImmutable());
        }

        var schema = new StreamSchema(result.ToImmutable());
        return SchemaRules.Validate(schema) is { } invalid ? Decoded<StreamSchema>.Fail(invalid) : Decoded<StreamSchema>.Ok(schema);
    }

    /// <summary>Reads a schema in the form <c>{"collections": {...}}</c>.</summary>
    public static Decoded<StreamSchema> Decode(SchemaWire wire)
    {
        ArgumentNullException.ThrowIfNull(wire);
        return Decode(wire.Collections);
    }

    /// <summary>Writes a schema's collections in their wire form, every attribute spelled out.</summary>
    public static Dictionary<string, CollectionWire> Encode(StreamSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var collections = new Dictionary<string, CollectionWire>(StringComparer.Ordinal);
        foreach (var (name, collection) in schema.Collections)
        {
            collections[name] = new CollectionWire
            {
                Owned = collection.Owned,
                Open = collection.Open,
                Fields = collection.Fields.ToDictionary(f => f.Key, f => Encode(f.Value), StringComparer.Ordinal),
            };
        }

        return collections;
    }

    private static FieldWire Encode(FieldSchema field) => new()
    {
        Type = SchemaNames.Of(field.Type),
        Cardinality = SchemaNames.Of(field.Cardinality),
        Unique = SchemaNames.Of(field.Unique),
        Counter = field.Counter ? true : null,
        GrowOnly = field.GrowOnly ? true : null,
        Target = field.Target,
    };

    private static Decoded<FieldSchema> DecodeField(string collection, string name, FieldWire? wire)
    {
        var where = $"Field '{collection}.{name}'";
        if (wire is null)
        {
            return Decoded<FieldSchema>.Fail(RejectionCodes.InvalidSchema, $"{where} must be an object.");
        }

        if (!SchemaNames.TryParseType(wire.Type, out var type))
        {
            return Decoded<FieldSchema>.Fail(RejectionCodes.InvalidSchema, $"{where} has type '{wire.Type}'; expected one of string, long, double, decimal, bool, instant, uuid, ref, json.");
        }

        if (!SchemaNames.TryParseCardinality(wire.Cardinality, out var cardinality))
        {
            return Decoded<FieldSchema>.Fail(RejectionCodes.InvalidSchema, $"{where} has cardinality '{wire.Cardinality}'; expected one or many.");
        }

        if (!SchemaNames.TryParseUnique(wire.Unique, out var unique))
        {
            return Decoded<FieldSchema>.Fail(RejectionCodes.InvalidSchema, $"{where} has unique '{wire.Unique}'; expected identity or value.");
        }

        return Decoded<FieldSchema>.Ok(new FieldSchema(type, cardinality, unique, wire.Counter ?? false, wire.GrowOnly ?? false, wire.Target));
    }
}
