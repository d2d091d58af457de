namespace Converge.Sqlite;

/// <summary>Reads one row of a <see cref="RawStatement"/> into a value.</summary>
/// <typeparam name="T">What the row is read into.</typeparam>
/// <param name="row">The row, valid only during the call.</param>
internal delegate T RowReader<out T>(RawRow row);
