namespace Converge.Sqlite;

/// <summary>How a field's values are stored in its column of a collection's visible table (see docs/architecture.md).</summary>
/// <remarks>PROVISIONAL (i14-query): stands in for i14-store's type of the same name until that branch is merged; take theirs.</remarks>
internal enum ColumnKind
{
    Text,
    Integer,
    Real,
    Bool,
    Decimal,
    Instant,
    Uuid,
    Json,
    Set,
}
