using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Converge.Core.Schema;

namespace Converge.Client.Typed;

/// <summary>What a record type looks like to Converge: its collection, its id property, and the schema derived from it.</summary>
internal sealed class RecordShape
{
    /// <summary>
    /// What a record type must keep when an app is trimmed: its public properties (the fields) and its public
    /// parameterless constructor (the defaults an insert leaves out).
    /// </summary>
    public const DynamicallyAccessedMemberTypes Members = DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor;

    private RecordShape(string collection, PropertyInfo id, CollectionSchema schema, IReadOnlyDictionary<string, PropertyInfo> fields)
    {
        Collection = collection;
        Id = id;
        Schema = schema;
        Fields = fields;
    }

    public string Collection { get; }

    public PropertyInfo Id { get; }

    public CollectionSchema Schema { get; }

    /// <summary>The properties by their JSON (field) names.</summary>
    public IReadOnlyDictionary<string, PropertyInfo> Fields { get; }

    /// <summary>Derives the shape of <paramref name="type"/>; <paramref name="naming"/> turns property names into field names.</summary>
    /// <exception cref="ArgumentException">The type has no <c>Guid Id</c> property, or a property Converge cannot store.</exception>
    public static RecordShape Of([DynamicallyAccessedMembers(Members)] Type type, string? collection, JsonNamingPolicy naming)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(naming);
        var attribute = type.GetCustomAttribute<ConvergeCollectionAttribute>();
        var name = collection ?? attribute?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(type.Name);
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() is null).ToList();
        var id = properties.FirstOrDefault(p => p.Name == "Id" && p.PropertyType == typeof(Guid))
            ?? throw new ArgumentException($"{type.Name} needs a 'Guid Id' property: it is the record's id.", nameof(type));
        var fields = ImmutableSortedDictionary.CreateBuilder<string, FieldSchema>(StringComparer.Ordinal);
        var byName = new Dictionary<string, PropertyInfo>(StringComparer.Ordinal);
        foreach (var property in properties.Where(p => p != id))
        {
            var fieldName = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? naming.ConvertName(property.Name);
            if (fieldName.Equals("id", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"{type.Name}.{property.Name} would be the field '{fieldName}': 'id' is the record's own id, in any case. Rename it or mark it [JsonIgnore].", nameof(type));
            }

            if (byName.Keys.FirstOrDefault(n => string.Equals(n, fieldName, StringComparison.OrdinalIgnoreCase)) is { } twin)
            {
                throw new ArgumentException($"{type.Name} has two fields, '{twin}' and '{fieldName}', that differ only by case; field names must differ in more than case.", nameof(type));
            }

            fields[fieldName] = FieldOf(type, property);
            byName[fieldName] = property;
        }

        return new RecordShape(name, id, new CollectionSchema(attribute?.Owned ?? false, attribute?.Open ?? false, fields.ToImmutable()), byName);
    }

    private static FieldSchema FieldOf(Type owner, PropertyInfo property)
    {
        var unique = property.GetCustomAttribute<UniqueIdentityAttribute>() is not null ? UniqueKind.Identity
            : property.GetCustomAttribute<UniqueValueAttribute>() is not null ? UniqueKind.Value
            : UniqueKind.None;
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (property.GetCustomAttribute<CounterAttribute>() is not null)
        {
            return type == typeof(long) || type == typeof(int) ? new FieldSchema(FieldType.Long, Counter: true)
                : type == typeof(decimal) ? new FieldSchema(FieldType.Decimal, Counter: true)
                : throw new ArgumentException($"{owner.Name}.{property.Name} is a [Counter]: it must be a long, int or decimal.", nameof(property));
        }

        if (SetElementOf(type) is { } element)
        {
            return new FieldSchema(ScalarOf(owner, property, element) ?? FieldType.Json, Cardinality.Many, GrowOnly: property.GetCustomAttribute<GrowOnlyAttribute>() is not null);
        }

        var scalar = ScalarOf(owner, property, type) ?? FieldType.Json;
        if (property.GetCustomAttribute<RefAttribute>() is { } reference)
        {
            return new FieldSchema(FieldType.Ref, Unique: unique, Target: reference.Target);
        }

        return new FieldSchema(scalar, Unique: unique);
    }

    private static FieldType? ScalarOf(Type owner, PropertyInfo property, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(DateTime))
        {
            throw new ArgumentException($"{owner.Name}.{property.Name} is a DateTime, which does not say its offset: use DateTimeOffset.", nameof(property));
        }

        return type switch
        {
            _ when type == typeof(string) || type.IsEnum || type == typeof(char) => FieldType.String,
            _ when type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(byte) || type == typeof(uint) || type == typeof(ushort) || type == typeof(sbyte) => FieldType.Long,
            _ when type == typeof(double) || type == typeof(float) => FieldType.Double,
            _ when type == typeof(decimal) => FieldType.Decimal,
            _ when type == typeof(bool) => FieldType.Bool,
            _ when type == typeof(DateTimeOffset) => FieldType.Instant,
            _ when type == typeof(Guid) => FieldType.Uuid,
            _ => null,
        };
    }

    private static Type? SetElementOf(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        var set = type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(ISet<>) || definition == typeof(IReadOnlySet<>) || definition == typeof(HashSet<>) || definition == typeof(SortedSet<>) || definition == typeof(ImmutableHashSet<>) || definition == typeof(ImmutableSortedSet<>) || definition == typeof(IImmutableSet<>));
        return set ? type.GetGenericArguments()[0] : null;
    }
}
