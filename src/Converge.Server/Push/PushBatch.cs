using Converge.Core.Actions;
using Converge.Core.Protocol;

namespace Converge.Server.Push;

/// <summary>A checked push: who sent which actions to which stream, each in the envelope it was read into.</summary>
/// <param name="Stream">The stream.</param>
/// <param name="ClientId">The pushing client.</param>
/// <param name="Principal">The authenticated principal (never one the client claims).</param>
/// <param name="Envelopes">The actions with their canonical bodies and hashes, in order.</param>
internal sealed record PushBatch(string Stream, Guid ClientId, string Principal, IReadOnlyList<ActionEnvelope> Envelopes)
{
    /// <summary>The actions alone, in order (for the store's prefetch).</summary>
    public IReadOnlyList<ConvergeAction> Actions { get; } = [.. Envelopes.Select(e => e.Action)];
}
