using Converge.Core.Schema;

namespace Converge.Sqlite;

/// <summary>One declared field's column in a collection table; its SQL name is the field name, double-quoted.</summary>
/// <param name="Field">The field name, which is also the column name.</param>
/// <param name="Schema">The field's declaration.</param>
/// <param name="Kind">How its values are kept.</param>
internal sealed record TableColumn(string Field, FieldSchema Schema, ColumnKind Kind)
{
    /// <summary>The column's quoted SQL identifier (field names never hold a double quote).</summary>
    public string SqlName => "\"" + Field + "\"";

    /// <summary>The kind of column a field's declaration gets.</summary>
    public static ColumnKind KindOf(FieldSchema field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.IsSet)
        {
            return ColumnKind.Set;
        }

        return field.Type switch
        {
            FieldType.String => ColumnKind.Text,
            FieldType.Long => ColumnKind.Integer,
            FieldType.Double => ColumnKind.Real,
            FieldType.Decimal => ColumnKind.Decimal,
            FieldType.Bool => ColumnKind.Bool,
            FieldType.Instant => ColumnKind.Instant,
            FieldType.Uuid or FieldType.Ref => ColumnKind.Uuid,
            _ => ColumnKind.Json,
        };
    }

    /// <summary>The column's type and collation in <c>CREATE TABLE</c> and <c>ALTER TABLE ADD COLUMN</c>.</summary>
    public static string SqlType(ColumnKind kind) => kind switch
    {
        ColumnKind.Integer or ColumnKind.Bool => "INTEGER",
        ColumnKind.Real => "REAL",
        ColumnKind.Decimal => "TEXT COLLATE cv_decimal",
        ColumnKind.Instant => "TEXT COLLATE cv_instant",
        _ => "TEXT",
    };
}
