using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Converge.Client.Typed;

namespace Converge.Client;

/// <summary>The typed API: collections over C# record types.</summary>
public sealed partial class Replica
{
    private const string ReflectionJson = "The JSON contract of T is made by reflection, which trimming and AOT compilation can break: pass a JsonTypeInfo<T> or a JsonSerializerContext from System.Text.Json's source generator instead.";

    private static JsonSerializerOptions? s_reflectionJson;

    private readonly ConcurrentDictionary<(Type, string?, object), object> _collections = new();

    /// <summary>The collection of records of type <typeparamref name="T"/> (named by its attribute, or the camelCase type name), mapped to JSON by reflection.</summary>
    /// <param name="name">The collection's name; default the type's attribute, or its camelCase name.</param>
    /// <param name="json">The JSON options; default camelCase names, enums as strings, nulls written.</param>
    /// <remarks>
    /// One instance per type, name and options instance (compared by reference): a call with other options gets a
    /// collection with those options' mapping, and its own tracking of the instances it returns. Reuse one options instance.
    /// </remarks>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public ReplicaCollection<T> Collection<[DynamicallyAccessedMembers(RecordShape.Members)] T>(string? name = null, JsonSerializerOptions? json = null)
        where T : class
    {
        var options = json ?? ReflectionDefault();
        return (ReplicaCollection<T>)_collections.GetOrAdd((typeof(T), name, options), _ =>
        {
            // A copy, so the caller's options stay theirs to change; the contract comes from reflection where they name no resolver.
            var own = new JsonSerializerOptions(options);
            own.MakeReadOnly(populateMissingResolver: true);
            return new ReplicaCollection<T>(this, name, (JsonTypeInfo<T>)own.GetTypeInfo(typeof(T)));
        });
    }

    /// <summary>The collection of records of type <typeparamref name="T"/>, mapped to JSON by the contract given: works trimmed and AOT-compiled.</summary>
    /// <param name="json">The contract of <typeparamref name="T"/>, such as <c>AppJson.Default.Note</c> from a source-generated context
    /// (<c>[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]</c> matches the reflection default).</param>
    /// <param name="name">The collection's name; default the type's attribute, or its camelCase name.</param>
    /// <remarks>One instance per type, name and contract instance (compared by reference).</remarks>
    public ReplicaCollection<T> Collection<[DynamicallyAccessedMembers(RecordShape.Members)] T>(JsonTypeInfo<T> json, string? name = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        return (ReplicaCollection<T>)_collections.GetOrAdd((typeof(T), name, json), _ => new ReplicaCollection<T>(this, name, json));
    }

    /// <summary>The collection of records of type <typeparamref name="T"/>, mapped to JSON by a source-generated context that declares it: works trimmed and AOT-compiled.</summary>
    /// <param name="context">A context with <c>[JsonSerializable(typeof(T))]</c>.</param>
    /// <param name="name">The collection's name; default the type's attribute, or its camelCase name.</param>
    /// <exception cref="ArgumentException">The context does not declare <typeparamref name="T"/>.</exception>
    public ReplicaCollection<T> Collection<[DynamicallyAccessedMembers(RecordShape.Members)] T>(JsonSerializerContext context, string? name = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        return Collection(context.GetTypeInfo(typeof(T)) as JsonTypeInfo<T> ?? throw new ArgumentException($"The JSON context {context.GetType().Name} does not declare {typeof(T).Name}: add [JsonSerializable(typeof({typeof(T).Name}))] to it.", nameof(context)), name);
    }

    /// <summary>The reflection default of typed collections, made once and read-only, so no caller can change it under another.</summary>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    private static JsonSerializerOptions ReflectionDefault()
    {
        if (Volatile.Read(ref s_reflectionJson) is { } made)
        {
            return made;
        }

        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Converters = { new JsonStringEnumConverter() },
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return Interlocked.CompareExchange(ref s_reflectionJson, options, null) ?? options;
    }
}
