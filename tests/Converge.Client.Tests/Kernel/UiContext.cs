using System.Collections.Concurrent;

namespace Converge.Client.Tests.Kernel;

/// <summary>
/// A UI-like synchronization context: one thread of its own runs what is posted to it, in order, and counts the posts
/// (a dispatcher's message loop, as in WPF, MAUI or Avalonia).
/// </summary>
internal sealed class UiContext : SynchronizationContext, IDisposable
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];
    private readonly Thread _thread;
    private int _posts;

    public UiContext()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "ui" };
        _thread.Start();
    }

    /// <summary>The UI thread's id.</summary>
    public int ThreadId => _thread.ManagedThreadId;

    /// <summary>How many callbacks were posted (or sent) to the context.</summary>
    public int Posts => Volatile.Read(ref _posts);

    public override void Post(SendOrPostCallback d, object? state)
    {
        Interlocked.Increment(ref _posts);
        _queue.Add((d, state));
    }

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException("A UI context in these tests only posts.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs <paramref name="work"/> on the UI thread and gives its result.</summary>
    public Task<T> RunAsync<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(
            _ =>
            {
                try
                {
                    done.SetResult(work());
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            },
            null);
        return done.Task;
    }

    public void Dispose() => _queue.CompleteAdding();

    private void Loop()
    {
        SetSynchronizationContext(this);
        foreach (var (callback, state) in _queue.GetConsumingEnumerable())
        {
            callback(state);
        }
    }
}
