namespace Converge.Server.Storage;

/// <summary>A stored snapshot: the state of a stream at an index, immutable and addressed by its digest.</summary>
/// <param name="Stream">The stream.</param>
/// <param name="Index">The log index whose state it holds.</param>
/// <param name="Digest">The SHA-256 of the body, lower-case hex.</param>
/// <param name="Length">The body's length in bytes.</param>
/// <param name="CreatedAt">When it was made.</param>
internal sealed record SnapshotRecord(string Stream, long Index, string Digest, long Length, DateTimeOffset CreatedAt);
