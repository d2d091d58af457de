namespace Converge.Server.Pull;

/// <summary>A checked pull.</summary>
/// <param name="Stream">The stream.</param>
/// <param name="After">The cursor: the highest index the client applied.</param>
/// <param name="Limit">The batch asked for (clamped to the maximum).</param>
/// <param name="ClientId">The pulling client, for the registry, when it said.</param>
/// <param name="Principal">The authenticated principal.</param>
internal sealed record PullQuery(string Stream, long After, long Limit, Guid? ClientId, string Principal);
