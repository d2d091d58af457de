using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Converge.Client.Typed;

namespace Converge.Client;

/// <summary>The typed API: collections over C# record types.</summary>
public sealed partial class Replica
{
    private readonly ConcurrentDictionary<(Type, string?), object> _collections = new();

    /// <summary>The JSON options of typed collections: camelCase, enums as strings. Default a new set; replace before the first <see cref="Collection{T}"/>.</summary>
    public static JsonSerializerOptions DefaultTypedJson { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The collection of records of type <typeparamref name="T"/> (named by its attribute, or the camelCase type name).</summary>
    public ReplicaCollection<T> Collection<T>(string? name = null, JsonSerializerOptions? json = null)
        where T : class =>
        (ReplicaCollection<T>)_collections.GetOrAdd((typeof(T), name), _ => new ReplicaCollection<T>(this, name, json ?? DefaultTypedJson));
}
