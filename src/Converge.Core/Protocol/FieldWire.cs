namespace Converge.Core.Protocol;

/// <summary>A field's declaration in a schema action: <c>{"type": "string", "cardinality": "one", "unique": "identity"}</c>.</summary>
public sealed record FieldWire
{
    /// <summary>string, long, double, decimal, bool, instant, uuid, ref or json.</summary>
    public string? Type { get; init; }

    /// <summary>one (when absent) or many.</summary>
    public string? Cardinality { get; init; }

    /// <summary>identity, value, or absent for none.</summary>
    public string? Unique { get; init; }

    /// <summary>True for a counter (long or decimal).</summary>
    public bool? Counter { get; init; }

    /// <summary>True for a grow-only set.</summary>
    public bool? GrowOnly { get; init; }

    /// <summary>For a ref, the collection it refers to.</summary>
    public string? Target { get; init; }
}
