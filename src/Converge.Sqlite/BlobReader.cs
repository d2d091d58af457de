namespace Converge.Sqlite;

/// <summary>Reads a blob column's bytes into a value.</summary>
/// <typeparam name="T">What the bytes are read into.</typeparam>
/// <param name="bytes">The column's bytes, valid only during the call.</param>
internal delegate T BlobReader<out T>(ReadOnlySpan<byte> bytes);
