namespace Converge.Sqlite;

/// <summary>How a field's values are kept in its column of a collection table, so SQLite's own order is the field type's.</summary>
internal enum ColumnKind
{
    /// <summary>A string: <c>TEXT</c>, ordinal (UTF-8 bytes, SQLite's BINARY).</summary>
    Text,

    /// <summary>A long or a long counter: <c>INTEGER</c>.</summary>
    Integer,

    /// <summary>A double: <c>REAL</c>.</summary>
    Real,

    /// <summary>A bool: <c>INTEGER</c> 0 or 1.</summary>
    Bool,

    /// <summary>A decimal or a decimal counter: the JSON number text, <c>TEXT COLLATE cv_decimal</c> (ordered by value).</summary>
    Decimal,

    /// <summary>An instant: the RFC 3339 text as written, <c>TEXT COLLATE cv_instant</c> (ordered by the UTC instant).</summary>
    Instant,

    /// <summary>A uuid or a ref: the lower-case "D" text (its order is <see cref="Guid.CompareTo(Guid)"/>'s).</summary>
    Uuid,

    /// <summary>Any JSON: its canonical text (not ordered; equal values have equal text).</summary>
    Json,

    /// <summary>A set: the canonical JSON array of its present elements' values, in element-key order.</summary>
    Set,
}
