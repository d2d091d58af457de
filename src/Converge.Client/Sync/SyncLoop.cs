using Converge.Client.Kernel;
using Converge.Client.Storage;
using Converge.Client.Transport;
using Converge.Core.Errors;

namespace Converge.Client.Sync;

/// <summary>
/// The sync loop: sync again at once while actions move; after a failure wait as <see cref="Backoff"/> says; when idle
/// wait <see cref="ReplicaOptions.IdleInterval"/>, woken at once by a local write or a server notification.
/// </summary>
internal sealed class SyncLoop : IDisposable
{
    private readonly ReplicaKernel _kernel;
    private readonly SyncEngine _engine;
    private readonly IProgress<SyncProgress>? _progress;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _stop;
    private Task _running = Task.CompletedTask;
    private Task _watching = Task.CompletedTask;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SyncLoop(ReplicaKernel kernel, SyncEngine engine, IProgress<SyncProgress>? progress)
    {
        _kernel = kernel;
        _engine = engine;
        _progress = progress;
        kernel.SyncWanted += Wake;
    }

    private ReplicaOptions Options => _kernel.Options;

    public void Start()
    {
        lock (_gate)
        {
            if (_stop is not null)
            {
                return;
            }

            _stop = new CancellationTokenSource();
            _running = Task.Run(() => RunAsync(_stop.Token));
            if (Options.Watch)
            {
                _watching = Task.Run(() => WatchAsync(_stop.Token));
            }
        }
    }

    public async Task StopAsync()
    {
        CancellationTokenSource? stop;
        lock (_gate)
        {
            stop = _stop;
            _stop = null;
        }

        if (stop is null)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_running, _watching).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        finally
        {
            stop.Dispose();
        }
    }

    public void Dispose()
    {
        _kernel.SyncWanted -= Wake;
        lock (_gate)
        {
            _stop?.Cancel();
            _stop?.Dispose();
            _stop = null;
        }
    }

    /// <summary>Ends the current wait at once (a local write, a server notification).</summary>
    public void Wake()
    {
        lock (_gate)
        {
            _wake.TrySetResult();
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var backoff = new Backoff(Options);
        var giveUp = new RestampGiveUp();
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            TimeSpan wait;
            var wakeable = true;
            try
            {
                var step = await _engine.StepAsync(_progress, stop).ConfigureAwait(false);
                failures = 0;

                // Again at once while actions move; but a server that keeps refusing our clock gets the idle wait, and a
                // step that reached the server's head with nothing queued waits to be woken (a write, a notification).
                var stopHere = giveUp.GivesUpAfter(step.Report);
                wait = step.Report.MadeProgress && !stopHere && !step.Settled ? TimeSpan.Zero : Options.IdleInterval;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop must outlive any one failure (a full disk, a busy file, a bug in a step): it reports and backs off.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures++;
                _kernel.OnSyncFailed(e);
                wait = backoff.After(failures);
                wakeable = false;
            }

            if (wait > TimeSpan.Zero)
            {
                await WaitAsync(wait, wakeable, stop).ConfigureAwait(false);
            }
        }
    }

    private async Task WaitAsync(TimeSpan wait, bool wakeable, CancellationToken stop)
    {
        Task woken;
        lock (_gate)
        {
            if (_wake.Task.IsCompleted)
            {
                _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (wakeable)
                {
                    return;
                }
            }

            woken = wakeable ? _wake.Task : Task.Delay(Timeout.Infinite, stop);
        }

        try
        {
            await Task.WhenAny(woken, Task.Delay(wait, _kernel.Time, stop)).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                if (_wake.Task.IsCompleted)
                {
                    _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }

        stop.ThrowIfCancellationRequested();
    }

    private async Task WatchAsync(CancellationToken stop)
    {
        var transport = _kernel.Transport;
        var backoff = new Backoff(Options);
        var failures = 0;
        while (transport is not null && !stop.IsCancellationRequested)
        {
            var connected = false;
            try
            {
                await foreach (var head in transport.WatchAsync(stop).ConfigureAwait(false))
                {
                    failures = 0;
                    connected = true;
                    if (head > await _kernel.OpenLockedAsync(() => _kernel.File.Meta.GetLong(ReplicaKeys.Cursor), stop).ConfigureAwait(false))
                    {
                        Wake();
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is TransportException or IOException or System.Net.WebSockets.WebSocketException)
            {
                failures++;
            }

            if (connected)
            {
                // The server may be gone: sync now, so the failure is known (and reported) at once, not at the next idle wake.
                Wake();
            }

            // The same back-off as the loop's (a watch that was connected and closed waits as after one failure).
            try
            {
                await Task.Delay(backoff.After(Math.Max(1, failures)), _kernel.Time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
