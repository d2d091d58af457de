using System.Collections.Concurrent;
using Converge.Client.Lifecycle;

namespace Converge.Client.Kernel;

/// <summary>Callers waiting for the fate of actions written here, completed as a sync learns it.</summary>
internal sealed class ConfirmationWaiters
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<ActionState>> _waiters = new();

    /// <summary>
    /// Waits until an action is confirmed or rejected. The waiter is registered before <paramref name="current"/> reads
    /// its state, so a fate learned in between is not missed; a final (or unknown) state returns at once.
    /// </summary>
    public async Task<ActionState> WaitAsync(Guid actionId, Func<CancellationToken, Task<ActionState>> current, CancellationToken cancellationToken)
    {
        var waiter = _waiters.GetOrAdd(actionId, _ => new TaskCompletionSource<ActionState>(TaskCreationOptions.RunContinuationsAsynchronously));
        var state = await current(cancellationToken).ConfigureAwait(false);
        if (state.IsFinal || state.Status == ActionStatus.Unknown)
        {
            _waiters.TryRemove(actionId, out _);
            return state;
        }

        return await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes the waiters of actions whose fate is now known.</summary>
    public void Resolve(IEnumerable<ActionState> states)
    {
        foreach (var state in states)
        {
            if (_waiters.TryRemove(state.ActionId, out var waiter))
            {
                waiter.TrySetResult(state);
            }
        }
    }

    /// <summary>Fails every waiter: the replica closed before their fate was known.</summary>
    public void FailAll()
    {
        foreach (var waiter in _waiters.Values)
        {
            waiter.TrySetException(new ObjectDisposedException(nameof(Replica), "The replica was closed before the action's fate was known."));
        }
    }
}
