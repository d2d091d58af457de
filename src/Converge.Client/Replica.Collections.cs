using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Converge.Client.Typed;

namespace Converge.Client;

/// <summary>The typed API: collections over C# record types.</summary>
public sealed partial class Replica
{
    private readonly ConcurrentDictionary<(Type, string?, JsonSerializerOptions), object> _collections = new();

    /// <summary>The JSON options of typed collections: camelCase, enums as strings. Default a new set; replace before the first <see cref="Collection{T}"/>.</summary>
    public static JsonSerializerOptions DefaultTypedJson { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The collection of records of type <typeparamref name="T"/> (named by its attribute, or the camelCase type name).</summary>
    /// <remarks>
    /// One instance per type, name and options instance (compared by reference): a call with other options gets a
    /// collection with those options' mapping, and its own tracking of the instances it returns. Reuse one options instance.
    /// </remarks>
    public ReplicaCollection<T> Collection<T>(string? name = null, JsonSerializerOptions? json = null)
        where T : class
    {
        var options = json ?? DefaultTypedJson;
        return (ReplicaCollection<T>)_collections.GetOrAdd((typeof(T), name, options), _ => new ReplicaCollection<T>(this, name, options));
    }
}
