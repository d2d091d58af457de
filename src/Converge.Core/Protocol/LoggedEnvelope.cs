using Converge.Core.Actions;

namespace Converge.Core.Protocol;

/// <summary>An action as a log holds it, in its envelope: its index, who pushed it, and the action with its bytes.</summary>
/// <param name="Index">The action's position in the stream's log, from 1, with no gaps.</param>
/// <param name="ClientId">The client that pushed it.</param>
/// <param name="Principal">The authenticated principal that pushed it.</param>
/// <param name="Envelope">The action, its canonical body and hash.</param>
internal sealed record LoggedEnvelope(long Index, Guid ClientId, string Principal, ActionEnvelope Envelope)
{
    /// <summary>The logged action without its bytes.</summary>
    public LoggedAction ToLogged() => new(Index, ClientId, Principal, Envelope.Action);
}
