namespace Converge.Core.Schema;

/// <summary>The declaration of one field of a collection.</summary>
/// <param name="Type">The type of the value, or of each element of a set.</param>
/// <param name="Cardinality">One value, or a set.</param>
/// <param name="Unique">Whether values are unique among live records, and how.</param>
/// <param name="Counter">True for a counter: changed only by increments, merged by adding them up.</param>
/// <param name="GrowOnly">True for a grow-only set: elements can be added, never removed.</param>
/// <param name="Target">For a <see cref="FieldType.Ref"/>, the collection it refers to (documentation only).</param>
public sealed record FieldSchema(
    FieldType Type,
    Cardinality Cardinality = Cardinality.One,
    UniqueKind Unique = UniqueKind.None,
    bool Counter = false,
    bool GrowOnly = false,
    string? Target = null)
{
    /// <summary>The field of an open collection that no schema declares: one JSON value, last-writer-wins.</summary>
    public static FieldSchema Undeclared { get; } = new(FieldType.Json);

    /// <summary>True for a set-valued field.</summary>
    public bool IsSet => Cardinality == Cardinality.Many;
}
