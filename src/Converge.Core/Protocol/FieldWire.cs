namespace Converge.Core.Protocol;

/// <summary>A field's declaration in a schema action: <c>{"type": "string", "cardinality": "one", "unique": "identity"}</c>.</summary>
public sealed class FieldWire
{
    /// <summary>string, long, double, decimal, bool, instant, uuid, ref or json.</summary>
    public string? Type { get; set; }

    /// <summary>one (when absent) or many.</summary>
    public string? Cardinality { get; set; }

    /// <summary>identity, value, or absent for none.</summary>
    public string? Unique { get; set; }

    /// <summary>True for a counter (long or decimal).</summary>
    public bool? Counter { get; set; }

    /// <summary>True for a grow-only set.</summary>
    public bool? GrowOnly { get; set; }

    /// <summary>For a ref, the collection it refers to.</summary>
    public string? Target { get; set; }
}
