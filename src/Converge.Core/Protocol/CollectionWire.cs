namespace Converge.Core.Protocol;

/// <summary>A collection's declaration in a schema action: <c>{"owned": false, "open": false, "fields": {...}}</c>.</summary>
public sealed record CollectionWire
{
    /// <summary>True when only a record's creator may change it; false when absent.</summary>
    public bool? Owned { get; init; }

    /// <summary>True when records may carry undeclared fields; false when absent.</summary>
    public bool? Open { get; init; }

    /// <summary>The declared fields by name.</summary>
    public Dictionary<string, FieldWire>? Fields { get; init; }
}
