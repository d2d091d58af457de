namespace Converge.Core.Protocol;

/// <summary>A collection's declaration in a schema action: <c>{"owned": false, "open": false, "fields": {...}}</c>.</summary>
public sealed class CollectionWire
{
    /// <summary>True when only a record's creator may change it; false when absent.</summary>
    public bool? Owned { get; set; }

    /// <summary>True when records may carry undeclared fields; false when absent.</summary>
    public bool? Open { get; set; }

    /// <summary>The declared fields by name.</summary>
    public Dictionary<string, FieldWire>? Fields { get; set; }
}
