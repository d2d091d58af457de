using System.Reflection;
using System.Text.Json;
using Converge.Core.Schema;
using Converge.Sqlite;

namespace Converge.Client.Query;

/// <summary>The fields of a record type as queries over its collection see them, with the JSON options values are written with.</summary>
internal sealed class QueryFields
{
    private readonly Dictionary<PropertyInfo, TypedField> _byProperty;

    public QueryFields(Type recordType, PropertyInfo id, IEnumerable<TypedField> fields, JsonSerializerOptions options)
    {
        RecordType = recordType;
        Id = id;
        Options = options;
        _byProperty = fields.ToDictionary(f => f.Property);
        ByName = _byProperty.Values.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    public Type RecordType { get; }

    /// <summary>The <c>Guid Id</c> property (the <c>id</c> column).</summary>
    public PropertyInfo Id { get; }

    public JsonSerializerOptions Options { get; }

    public IReadOnlyDictionary<string, TypedField> ByName { get; }

    /// <summary>The field a property maps to, or null when it is not a field (the id is not).</summary>
    public TypedField? Find(PropertyInfo property) => _byProperty.GetValueOrDefault(property);

    /// <summary>A value as the collection writes it.</summary>
    public JsonElement ToJson(object value) => JsonSerializer.SerializeToElement(value, Options.GetTypeInfo(value.GetType()));

    /// <summary>The column kind of a field: the table's when it has the column, else what the declaration would make.</summary>
    public static ColumnKind KindOf(CollectionTable? table, TypedField field) =>
        table is not null && table.Columns.TryGetValue(field.Name, out var column) ? column.Kind : KindOf(field.Schema);

    /// <summary>The column kind a declaration makes (the storage's own rule).</summary>
    public static ColumnKind KindOf(FieldSchema field) => TableColumn.KindOf(field);

    /// <summary>The SQL of a field's column in <paramref name="table"/>: its quoted name, or NULL when the table lacks it (not declared yet).</summary>
    public static string ColumnOf(CollectionTable? table, string field) =>
        table is not null && table.Columns.ContainsKey(field) ? $"\"{field}\"" : "NULL";
}
