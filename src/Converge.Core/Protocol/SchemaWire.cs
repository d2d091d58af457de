namespace Converge.Core.Protocol;

/// <summary>A schema as it travels and as the command line takes it: <c>{"collections": {...}}</c>.</summary>
internal sealed class SchemaWire
{
    /// <summary>The collections by name.</summary>
    public Dictionary<string, CollectionWire>? Collections { get; init; }
}
