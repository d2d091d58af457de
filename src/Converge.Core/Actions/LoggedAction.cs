namespace Converge.Core.Actions;

/// <summary>An action as the server's log holds it: its index, and who pushed it.</summary>
/// <param name="Index">The action's position in the stream's log, from 1, with no gaps.</param>
/// <param name="ClientId">The client that pushed it.</param>
/// <param name="Principal">The authenticated principal that pushed it; owned records belong to it.</param>
/// <param name="Action">The action itself.</param>
public sealed record LoggedAction(long Index, Guid ClientId, string Principal, ConvergeAction Action);
