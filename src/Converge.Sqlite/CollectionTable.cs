namespace Converge.Sqlite;

/// <summary>
/// The visible table of one collection of a stream: <c>id</c>, <c>"$owner"</c>, one column per declared field and,
/// for an open collection, <c>"$extra"</c> (its undeclared fields as one canonical JSON object). It holds one row per
/// live record that is not an alias, exactly as the record reads.
/// </summary>
/// <param name="Stream">The stream.</param>
/// <param name="Collection">The collection.</param>
/// <param name="Name">The generated table name (<c>cvt_1</c>, <c>cvt_2</c>, ...), never derived from user text.</param>
/// <param name="Open">True when the collection is open (its table has <c>"$extra"</c>).</param>
/// <param name="Columns">The declared fields' columns by field name.</param>
internal sealed record CollectionTable(string Stream, string Collection, string Name, bool Open, IReadOnlyDictionary<string, TableColumn> Columns);
