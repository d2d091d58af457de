namespace Converge.Core.Schema;

/// <summary>Whether a field holds one value or a set of values.</summary>
public enum Cardinality
{
    /// <summary>One value, merged last-writer-wins.</summary>
    One,

    /// <summary>A set of values, merged element by element (last-writer-wins element set, or grow-only).</summary>
    Many,
}
