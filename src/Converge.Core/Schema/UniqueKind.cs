namespace Converge.Core.Schema;

/// <summary>What a unique field does when two records would share a value.</summary>
public enum UniqueKind
{
    /// <summary>Not unique.</summary>
    None,

    /// <summary>Records created with the same value are one entity: the later id becomes an alias of the earlier record.</summary>
    Identity,

    /// <summary>A write that would give two live records the same value is rejected.</summary>
    Value,
}
