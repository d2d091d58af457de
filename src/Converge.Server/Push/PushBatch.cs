using Converge.Core.Actions;

namespace Converge.Server.Push;

/// <summary>A checked push: who sent which actions to which stream.</summary>
/// <param name="Stream">The stream.</param>
/// <param name="ClientId">The pushing client.</param>
/// <param name="Principal">The authenticated principal (never one the client claims).</param>
/// <param name="Actions">The actions, in order.</param>
internal sealed record PushBatch(string Stream, Guid ClientId, string Principal, IReadOnlyList<ConvergeAction> Actions);
