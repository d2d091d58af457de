namespace Converge.Server.Watch;

/// <summary>
/// The token of one socket operation: cancelled when the watcher is gone or after the timeout. A wall-clock network
/// timeout (like Kestrel's own), not the server's <see cref="TimeProvider"/>: a test's fake clock must not fire it.
/// </summary>
internal sealed class SocketDeadline : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _either;

    public SocketDeadline(TimeSpan timeout, CancellationToken gone)
    {
        _timer = new CancellationTokenSource(timeout);
        _either = CancellationTokenSource.CreateLinkedTokenSource(gone, _timer.Token);
    }

    public CancellationToken Token => _either.Token;

    /// <summary>True once the timeout passed (whether or not the watcher is also gone).</summary>
    public bool Expired => _timer.IsCancellationRequested;

    public void Dispose()
    {
        _either.Dispose();
        _timer.Dispose();
    }
}
