using Converge.Core.Schema;

namespace Converge.Sqlite;

/// <summary>One declared field's column in a collection's visible table; its SQL name is the field name, quoted.</summary>
/// <remarks>PROVISIONAL (i14-query): stands in for i14-store's type of the same name until that branch is merged; take theirs.</remarks>
internal sealed record TableColumn(string Field, FieldSchema Schema, ColumnKind Kind);
