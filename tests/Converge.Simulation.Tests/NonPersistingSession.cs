using Converge.Core.Actions;
using Converge.Core.Merge;
using Converge.Server.Storage;

namespace Converge.Simulation.Tests;

/// <summary>A write session whose commit does nothing: disposing it rolls back what the push decided.</summary>
internal sealed class NonPersistingSession(IStreamWriteSession inner) : IStreamWriteSession
{
    public string Stream => inner.Stream;

    public long Head => inner.Head;

    public IRecordState State => inner.State;

    public bool OthersWaiting => inner.OthersWaiting;

    public ValueTask PrefetchAsync(IReadOnlyList<ConvergeAction> actions, CancellationToken cancellationToken = default) => inner.PrefetchAsync(actions, cancellationToken);

    public AcceptedAction? FindAccepted(Guid actionId) => inner.FindAccepted(actionId);

    public RefusedAction? FindRefused(Guid actionId) => inner.FindRefused(actionId);

    public void Refuse(Guid actionId, RefusedAction refusal) => inner.Refuse(actionId, refusal);

    public void Append(StoredAction action, ReadOnlyMemory<byte> bodyHash) => inner.Append(action, bodyHash);

    public ValueTask CommitAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
