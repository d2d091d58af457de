using Converge.Client.Kernel;

namespace Converge.Client.Tests.Typed;

/// <summary>
/// A test hook that, once armed, holds the next local write at its commit (inside the replica's lock) until
/// released, or makes it throw: the replica stays busy for exactly as long as a test needs.
/// </summary>
internal sealed class WriteHold : IDisposable
{
    private readonly ManualResetEventSlim _released = new(false);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _armed;
    private int _throw;

    /// <summary>Completes when an armed write reached its commit and holds the replica's lock.</summary>
    public Task Entered => _entered.Task.WaitAsync(TimeSpan.FromSeconds(60));

    /// <summary>The next write holds at its commit until <see cref="Release"/>.</summary>
    public void Arm() => Volatile.Write(ref _armed, 1);

    /// <summary>The next write fails at its commit: nothing of it is written.</summary>
    public void FailNext() => Volatile.Write(ref _throw, 1);

    public void Release() => _released.Set();

    public void Point(ReplicaTestPoint point)
    {
        if (point != ReplicaTestPoint.WriteCommit)
        {
            return;
        }

        if (Interlocked.Exchange(ref _throw, 0) == 1)
        {
            throw new IOException("planted write failure");
        }

        if (Interlocked.Exchange(ref _armed, 0) == 1)
        {
            _entered.TrySetResult();
            if (!_released.Wait(TimeSpan.FromSeconds(60)))
            {
                throw new TimeoutException("The held write was never released.");
            }
        }
    }

    public void Dispose() => _released.Dispose();
}
