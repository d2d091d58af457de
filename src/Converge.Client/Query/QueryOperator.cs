namespace Converge.Client.Query;

/// <summary>How a filter of the raw JSON query compares a field with its value.</summary>
public enum QueryOperator
{
    /// <summary>The field equals the value (null: the field is absent).</summary>
    Equal,

    /// <summary>The field differs from the value (an absent field differs from every value but null).</summary>
    NotEqual,

    /// <summary>The field is less than the value, in its type's order; absent fields never match.</summary>
    LessThan,

    /// <summary>The field is at most the value.</summary>
    LessThanOrEqual,

    /// <summary>The field is greater than the value.</summary>
    GreaterThan,

    /// <summary>The field is at least the value.</summary>
    GreaterThanOrEqual,

    /// <summary>The set field holds the value.</summary>
    Contains,
}
