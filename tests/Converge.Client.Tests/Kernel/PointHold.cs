using Converge.Client.Kernel;

namespace Converge.Client.Tests.Kernel;

/// <summary>
/// Test hooks that, once armed, hold the next pass of one <see cref="ReplicaTestPoint"/> until released: a sync step
/// in the middle of its transaction, or a read inside its read transaction, stays there for exactly as long as a test needs.
/// </summary>
internal sealed class PointHold(ReplicaTestPoint point) : IReplicaTestHooks, IDisposable
{
    private readonly ManualResetEventSlim _released = new(false);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _armed;

    /// <summary>Completes when the armed pass reached the point and holds there.</summary>
    public Task Entered => _entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>The thread the held pass ran on.</summary>
    public int HeldThread { get; private set; }

    /// <summary>The synchronization context the held pass ran under.</summary>
    public SynchronizationContext? HeldContext { get; private set; }

    /// <summary>The next pass of the point holds until <see cref="Release"/>.</summary>
    public void Arm() => Volatile.Write(ref _armed, 1);

    public void Release() => _released.Set();

    public void Reached(ReplicaTestPoint reached)
    {
        if (reached != point || Interlocked.Exchange(ref _armed, 0) == 0)
        {
            return;
        }

        HeldThread = Environment.CurrentManagedThreadId;
        HeldContext = SynchronizationContext.Current;
        _entered.TrySetResult();
        if (!_released.Wait(TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException($"The pass held at {point} was never released.");
        }
    }

    public bool Plants(ReplicaBug bug) => false;

    public void Dispose() => _released.Set();
}
