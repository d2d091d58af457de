namespace Converge.Server.Storage;

/// <summary>What the store remembers of an action it refused: which body, and why. A refusal is final for that body.</summary>
/// <param name="BodyHash">The SHA-256 of the refused body.</param>
/// <param name="Code">The rejection code.</param>
/// <param name="Message">Why.</param>
internal sealed record RefusedAction(ReadOnlyMemory<byte> BodyHash, string Code, string Message);
