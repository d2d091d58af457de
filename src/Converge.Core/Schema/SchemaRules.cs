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

    /// <summary>True for <c>id</c> in any case (<c>Id</c>, <c>ID</c>): a new field may never be named like the record's id.</summary>
    public static bool IsReservedFieldName(string name) => name.Equals("id", StringComparison.OrdinalIgnoreCase);

    /// <summary>The rejection of a field name no action may carry (not a name, or <c>id</c> itself), or null.</summary>
    /// <remarks><c>Id</c> and other cases pass here: the log may hold them from before they were refused; <see cref="Merge.NameRules"/> refuses them in new actions.</remarks>
    public static Rejection? CheckFieldName(string name) =>
        name == "id"
            ? new Rejection(RejectionCodes.ReservedField, "'id' cannot be a field name: it is the record's own id.")
            : IsValidName(name) ? null
            : new Rejection(RejectionCodes.InvalidAction, $"'{name}' is not a field name: use 1 to {MaxNameLength} letters, digits, '_' or '-', starting with a letter or '_'.");

    public static Rejection? Validate(StreamSchema schema)
    {
        foreach (var (name, collection) in schema.Collections)
        {
            if (!IsValidName(name))
            {
                return Invalid($"'{name}' is not a valid collection name: use 1 to {MaxNameLength} letters, digits, '_' or '-', starting with a letter or '_'.");
            }

            foreach (var (fieldName, field) in collection.Fields)
            {
                if (ValidateField(name, fieldName, field) is { } rejection)
                {
                    return rejection;
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
        if (name == "id")
        {
            return new Rejection(RejectionCodes.ReservedField, $"Field '{collection}.id' cannot be declared: 'id' is the record's own id.");
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
