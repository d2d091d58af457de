using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Converge.Core.Export;

namespace Converge.Client.Typed;

/// <summary>
/// Turns a record type's instances into their declared fields and back, by exact field names: what the serializer
/// calls a property is mapped to the field the shape names, so no case-insensitive match can bind a stored field to
/// the wrong property (or to the id).
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
internal sealed class RecordCodec<[DynamicallyAccessedMembers(RecordShape.Members)] T>
    where T : class
{
    private readonly RecordShape _shape;
    private readonly JsonTypeInfo<T> _write;
    private readonly JsonTypeInfo<T> _read;
    private readonly string _idName;
    private readonly Dictionary<string, string> _jsonNames = new(StringComparer.Ordinal);

    /// <param name="shape">The record type's shape.</param>
    /// <param name="json">The contract of <typeparamref name="T"/>: from a source-generated context, or from reflection.</param>
    public RecordCodec(RecordShape shape, JsonTypeInfo<T> json)
    {
        _shape = shape;
        json.Options.MakeReadOnly();
        _write = json;
        if (json.Options.PropertyNameCaseInsensitive)
        {
            // The same contract (its resolver, a source-generated context too), read by exact names only.
            var readOptions = new JsonSerializerOptions(json.Options) { PropertyNameCaseInsensitive = false };
            readOptions.MakeReadOnly();
            _read = (JsonTypeInfo<T>)readOptions.GetTypeInfo(typeof(T));
        }
        else
        {
            _read = json;
        }

        // By declaring type and name: a resolver may reflect a property from the type that declares it.
        var byProperty = _write.Properties.Where(p => p.AttributeProvider is PropertyInfo).ToDictionary(p => Key((PropertyInfo)p.AttributeProvider!), p => p.Name);
        _idName = byProperty.GetValueOrDefault(Key(shape.Id)) ?? throw new ArgumentException($"{typeof(T).Name}.Id is not serialized: it must be.", nameof(shape));
        foreach (var (field, property) in shape.Fields)
        {
            _jsonNames[field] = byProperty.GetValueOrDefault(Key(property)) ?? throw new ArgumentException($"{typeof(T).Name}.{property.Name} is not serialized by the JSON options; mark it [JsonIgnore] to leave it out of the record.", nameof(shape));
        }

        Baseline = BaselineOf();
    }

    /// <summary>The value each field holds in an instance nobody set anything on (see <see cref="BaselineOf"/>).</summary>
    public IReadOnlyDictionary<string, JsonElement> Baseline { get; }

    /// <summary>The JSON options the record is written with (read-only, with a resolver).</summary>
    public JsonSerializerOptions Options => _write.Options;

    /// <summary>The record's id.</summary>
    public Guid IdOf(T item) => (Guid)_shape.Id.GetValue(item)!;

    /// <summary>Every declared field of an instance, by field name (null where the serializer wrote nothing).</summary>
    public Dictionary<string, JsonElement> FieldsOf(T item)
    {
        var json = JsonSerializer.SerializeToElement(item, _write);
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (field, name) in _jsonNames)
        {
            fields[field] = json.TryGetProperty(name, out var value) ? value : CanonicalJson.Null;
        }

        return fields;
    }

    /// <summary>Reads a record's view (<c>{"id": ..., field: value}</c>): only the id and the declared fields, by their exact names.</summary>
    public T Read(JsonElement view)
    {
        var json = new JsonObject { [_idName] = view.GetProperty("id").GetString() };
        foreach (var (field, name) in _jsonNames)
        {
            if (view.TryGetProperty(field, out var value))
            {
                json[name] = JsonNode.Parse(value.GetRawText());
            }
            else if (_shape.Schema.Fields[field].IsSet)
            {
                json[name] = new JsonArray();
            }
        }

        return json.Deserialize(_read) ?? throw new JsonException($"A '{_shape.Collection}' record could not be read as {typeof(T).Name}.");
    }

    /// <summary>
    /// The fields of a new instance (when <typeparamref name="T"/> has a public parameterless constructor), else the
    /// default of each property's type: an insert leaves out what still holds it, since nobody set it.
    /// </summary>
    private Dictionary<string, JsonElement> BaselineOf()
    {
        if (typeof(T).GetConstructor(Type.EmptyTypes) is { } constructor)
        {
            try
            {
                return FieldsOf((T)constructor.Invoke(null));
            }
            catch (TargetInvocationException)
            {
                // A constructor that needs more than nothing: fall back to the types' defaults.
            }
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (field, property) in _shape.Fields)
        {
            var type = property.PropertyType;
            var value = type.IsValueType && Nullable.GetUnderlyingType(type) is null ? DefaultOf(type) : null;
            fields[field] = JsonSerializer.SerializeToElement(value, _write.Options.GetTypeInfo(type));
        }

        return fields;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = "Only value types come here, and a value type's default needs no constructor: it is zeroed memory, which trimming cannot remove.")]
    private static object? DefaultOf(Type valueType) => Activator.CreateInstance(valueType);

    private static (Type?, string) Key(PropertyInfo property) => (property.DeclaringType, property.Name);
}
