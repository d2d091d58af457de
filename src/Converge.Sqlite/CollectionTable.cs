namespace Converge.Sqlite;

/// <summary>The visible table of one collection of one stream: one row per live record, one column per declared field.</summary>
/// <remarks>PROVISIONAL (i14-query): stands in for i14-store's type of the same name until that branch is merged; take theirs.</remarks>
internal sealed record CollectionTable(string Stream, string Collection, string Name, bool Open, IReadOnlyDictionary<string, TableColumn> Columns);
