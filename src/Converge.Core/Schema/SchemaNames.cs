namespace Converge.Core.Schema;

/// <summary>The wire names of schema enumerations (docs/protocol.md, section 4).</summary>
internal static class SchemaNames
{
    /// <summary>The wire name of a field type.</summary>
    public static string Of(FieldType type) => type switch
    {
        FieldType.String => "string",
        FieldType.Long => "long",
        FieldType.Double => "double",
        FieldType.Decimal => "decimal",
        FieldType.Bool => "bool",
        FieldType.Instant => "instant",
        FieldType.Uuid => "uuid",
        FieldType.Ref => "ref",
        FieldType.Json => "json",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The wire name of a cardinality.</summary>
    public static string Of(Cardinality cardinality) => cardinality == Cardinality.Many ? "many" : "one";

    /// <summary>The wire name of a uniqueness; null for none.</summary>
    public static string? Of(UniqueKind unique) => unique switch
    {
        UniqueKind.Identity => "identity",
        UniqueKind.Value => "value",
        _ => null,
    };

    /// <summary>Reads a field type's wire name.</summary>
    public static bool TryParseType(string? text, out FieldType type)
    {
        type = text switch
        {
            "string" => FieldType.String,
            "long" => FieldType.Long,
            "double" => FieldType.Double,
            "decimal" => FieldType.Decimal,
            "bool" => FieldType.Bool,
            "instant" => FieldType.Instant,
            "uuid" => FieldType.Uuid,
            "ref" => FieldType.Ref,
            "json" => FieldType.Json,
            _ => (FieldType)(-1),
        };
        return (int)type >= 0;
    }

    /// <summary>Reads a cardinality's wire name; absent means one.</summary>
    public static bool TryParseCardinality(string? text, out Cardinality cardinality)
    {
        cardinality = text == "many" ? Cardinality.Many : Cardinality.One;
        return text is null or "one" or "many";
    }

    /// <summary>Reads a uniqueness's wire name; absent means none.</summary>
    public static bool TryParseUnique(string? text, out UniqueKind unique)
    {
        unique = text switch
        {
            "identity" => UniqueKind.Identity,
            "value" => UniqueKind.Value,
            _ => UniqueKind.None,
        };
        return text is null or "identity" or "value";
    }
}
