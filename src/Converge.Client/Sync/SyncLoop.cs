using Converge.Client.Transport;
using Converge.Core.Errors;

namespace Converge.Client.Sync;

/// <summary>
/// The loop of SPEC section 4: sync again at once while actions move; after a network failure wait 5 s, doubling to a
/// cap, with jitter; when idle wait 60 s, woken at once by a local write or a server notification.
/// </summary>
internal sealed class SyncLoop : IDisposable
{
    private readonly Replica _replica;
    private readonly IProgress<SyncProgress>? _progress;
    private readonly Random _jitter;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _stop;
    private Task _running = Task.CompletedTask;
    private Task _watching = Task.CompletedTask;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SyncLoop(Replica replica, IProgress<SyncProgress>? progress)
    {
        _replica = replica;
        _progress = progress;
        _jitter = replica.Options.JitterSeed is { } seed ? new Random(seed) : new Random();
    }

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
            if (_replica.Options.Watch)
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
        var options = _replica.Options;
        var failures = 0;
        var restampOnly = 0;
        while (!stop.IsCancellationRequested)
        {
            TimeSpan wait;
            var wakeable = true;
            try
            {
                var report = await _replica.SyncStepAsync(_progress, stop).ConfigureAwait(false);
                failures = 0;
                restampOnly = report.Restamped > 0 && report.Accepted.IsEmpty && report.Pulled == 0 ? restampOnly + 1 : 0;

                // Again at once while actions move; but a server that keeps refusing our clock gets the idle wait, and a
                // step that reached the server's head with nothing queued waits to be woken (a write, a notification).
                wait = report.MadeProgress && restampOnly < 3 && !_replica.SyncSettled ? TimeSpan.Zero : options.IdleInterval;
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
                _replica.OnSyncFailed(e);
                var backoff = options.RetryInterval.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 20));
                wait = TimeSpan.FromMilliseconds(Math.Min(backoff, options.MaxRetryInterval.TotalMilliseconds) * (0.8 + (0.4 * _jitter.NextDouble())));
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
            await Task.WhenAny(woken, Task.Delay(wait, _replica.Options.Time, stop)).ConfigureAwait(false);
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
        var transport = _replica.Transport;
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
                    if (head > await _replica.GetCursorAsync(stop).ConfigureAwait(false))
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

            var delay = TimeSpan.FromMilliseconds(Math.Min(_replica.Options.RetryInterval.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 10)), _replica.Options.MaxRetryInterval.TotalMilliseconds));
            try
            {
                await Task.Delay(delay, _replica.Options.Time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
