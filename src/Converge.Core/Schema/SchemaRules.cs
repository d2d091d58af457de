using System.Globalization;

namespace Converge.Core.Schema;

/// <summary>The rules a schema declaration must follow on its own, before it is merged.</summary>
internal static class SchemaRules
{
    /// <summary>The longest collection or field name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>True for names of 1 to 64 characters: a letter or underscore, then letters, digits, underscores or hyphens.</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length is 0 or > MaxNameLength || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True for <c>id</c> in any case: a record's fields may never be named like its id.</summary>
    public static bool IsReservedFieldName(string name) => name.Equals("id", StringComparison.OrdinalIgnoreCase);

    /// <summary>The rejection of a field name a record may not carry (not a name, or <c>id</c> in any case), or null.</summary>
    public static Rejection? CheckFieldName(string name) =>
        IsReservedFieldName(name)
            ? new Rejection(RejectionCodes.ReservedField, $"'{name}' cannot be a field name: 'id' is the record's own id, in any case.")
            : IsValidName(name) ? null
            : new Rejection(RejectionCodes.InvalidAction, $"'{name}' is not a field name: use 1 to {MaxNameLength} letters, digits, '_' or '-', starting with a letter or '_'.");

    /// <summary>The name in <paramref name="names"/> that equals <paramref name="name"/> ignoring case but not exactly, or null.</summary>
    public static string? CaseTwin(IEnumerable<string> names, string name) =>
        names.FirstOrDefault(n => n.Length == name.Length && !string.Equals(n, name, StringComparison.Ordinal) && string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

    public static Rejection? Validate(StreamSchema schema)
    {
        // Names that differ only by case would be one name to a case-insensitive reader (typed binding, SQL identifiers).
        foreach (var (name, collection) in schema.Collections)
        {
            if (!IsValidName(name))
            {
                return Invalid($"'{name}' is not a valid collection name: use 1 to {MaxNameLength} letters, digits, '_' or '-', starting with a letter or '_'.");
            }

            if (CaseTwin(schema.Collections.Keys, name) is { } twin)
            {
                return Invalid($"Collections '{twin}' and '{name}' differ only by case; names must differ in more than case.");
            }

            foreach (var (fieldName, field) in collection.Fields)
            {
                if (ValidateField(name, fieldName, field) is { } rejection)
                {
                    return rejection;
                }

                if (CaseTwin(collection.Fields.Keys, fieldName) is { } fieldTwin)
                {
                    return Invalid($"Fields '{name}.{fieldTwin}' and '{name}.{fieldName}' differ only by case; names must differ in more than case.");
                }
            }
        }

        return null;
    }

    public static string Describe(FieldSchema field)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"type {SchemaNames.Of(field.Type)}, cardinality {SchemaNames.Of(field.Cardinality)}");
        if (field.Unique != UniqueKind.None)
        {
            text += $", unique {SchemaNames.Of(field.Unique)}";
        }

        if (field.Counter)
        {
            text += ", counter";
        }

        if (field.GrowOnly)
        {
            text += ", grow-only";
        }

        return field.Target is null ? text : $"{text}, target {field.Target}";
    }

    private static Rejection? ValidateField(string collection, string name, FieldSchema field)
    {
        var where = $"Field '{collection}.{name}'";
        if (IsReservedFieldName(name))
        {
            return new Rejection(RejectionCodes.ReservedField, $"Field '{collection}.{name}' cannot be declared: 'id' is the record's own id, in any case.");
        }

        if (!IsValidName(name))
        {
            return Invalid($"'{name}' is not a valid field name: use 1 to {MaxNameLength} letters, digits, '_' or '-', starting with a letter or '_'.");
        }

        if (field.Counter && (field.Type is not (FieldType.Long or FieldType.Decimal) || field.IsSet || field.Unique != UniqueKind.None))
        {
            return Invalid($"{where}: a counter is a single long or decimal that is not unique.");
        }

        if (field.GrowOnly && !field.IsSet)
        {
            return Invalid($"{where}: only a set (cardinality many) can be grow-only.");
        }

        if (field.Unique != UniqueKind.None && (field.IsSet || field.Type == FieldType.Json))
        {
            return Invalid($"{where}: only a single value of a scalar type can be unique.");
        }

        if (field.Target is not null && (field.Type != FieldType.Ref || !IsValidName(field.Target)))
        {
            return Invalid($"{where}: only a ref names a target, and the target must be a collection name.");
        }

        return null;
    }

    private static Rejection Invalid(string message) => new(RejectionCodes.InvalidSchema, message);
}
