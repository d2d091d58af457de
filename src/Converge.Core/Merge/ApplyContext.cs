namespace Converge.Core.Merge;

/// <summary>Who is acting when an action is applied.</summary>
/// <param name="Principal">
/// The authenticated principal: owned records it creates belong to it, and only it may change them.
/// Null on a replica that does not know its principal yet: owner checks are then left to the server.
/// </param>
public readonly record struct ApplyContext(string? Principal);
