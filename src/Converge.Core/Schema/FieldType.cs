namespace Converge.Core.Schema;

/// <summary>The type of a field's values (of each element, for a set).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members mirror the wire names of field types (docs/protocol.md, section 4).")]
public enum FieldType
{
    /// <summary>A JSON string.</summary>
    String,

    /// <summary>A JSON integer within the range of a 64-bit signed integer.</summary>
    Long,

    /// <summary>A JSON number read as a 64-bit float.</summary>
    Double,

    /// <summary>A JSON number read as a .NET decimal (exact).</summary>
    Decimal,

    /// <summary>JSON true or false.</summary>
    Bool,

    /// <summary>An RFC 3339 date and time with an offset, as a JSON string; kept exactly as written.</summary>
    Instant,

    /// <summary>A UUID as a JSON string in the 8-4-4-4-12 form.</summary>
    Uuid,

    /// <summary>The id of a record (optionally of the collection named by <see cref="FieldSchema.Target"/>).</summary>
    Ref,

    /// <summary>Any JSON value, merged as one value.</summary>
    Json,
}
