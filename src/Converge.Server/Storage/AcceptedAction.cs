namespace Converge.Server.Storage;

/// <summary>What the store remembers of every action it ever accepted, even after compaction: where and what.</summary>
/// <param name="Index">The log index it was given.</param>
/// <param name="BodyHash">The SHA-256 of its canonical body.</param>
internal sealed record AcceptedAction(long Index, ReadOnlyMemory<byte> BodyHash);
