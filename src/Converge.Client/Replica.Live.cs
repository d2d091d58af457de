namespace Converge.Client;

/// <summary>The replica's side of live queries (<see cref="Live.LiveQuery"/>).</summary>
public sealed partial class Replica
{
    /// <summary>
    /// Calls <paramref name="changed"/> after each commit that changed data (registered before this returns), and
    /// <paramref name="completed"/> once the replica closed, until the result is disposed.
    /// </summary>
    /// <remarks><paramref name="changed"/> runs on the thread that committed, after the lock was released: keep it short.</remarks>
    internal IDisposable SubscribeChanges(Action<ReplicaChange> changed, Action completed) => _kernel.Changes.Subscribe(changed, completed);
}
