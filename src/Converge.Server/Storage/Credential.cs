namespace Converge.Server.Storage;

/// <summary>A bearer credential as stored: only the SHA-256 of the token, bound to a principal and its streams.</summary>
/// <param name="TokenHash">The SHA-256 of the token, lower-case hex. The token itself is never stored.</param>
/// <param name="Principal">Who the token authenticates as.</param>
/// <param name="Streams">The streams it may use.</param>
/// <param name="CreatedAt">When it was made.</param>
internal sealed record Credential(string TokenHash, string Principal, IReadOnlyList<string> Streams, DateTimeOffset CreatedAt);
