using System.Collections;
using System.Collections.Specialized;
using System.ComponentModel;

namespace Converge.Client.Live;

/// <summary>
/// The result of a live query as a list a view binds to (WPF, MAUI, Avalonia): it holds the latest result, and applies
/// each fresh one as the few changes that make it (add, remove, move, replace; a reset when most of it changed), raising
/// <see cref="CollectionChanged"/> and <see cref="PropertyChanged"/> on the synchronization context it was given (by default
/// the one current where it was made: the UI thread's).
/// </summary>
/// <typeparam name="T">The items.</typeparam>
/// <remarks>
/// The list changes only on that context (or, where there was none, on the thread that got the result): read it there.
/// Dispose it to stop watching.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A list, named as one.")]
public sealed class LiveList<T> : IReadOnlyList<T>, INotifyCollectionChanged, INotifyPropertyChanged, IAsyncDisposable
{
    private static readonly PropertyChangedEventArgs CountChanged = new(nameof(Count));
    private static readonly PropertyChangedEventArgs IndexerChanged = new("Item[]");

    private readonly List<T> _items;
    private readonly Func<T, object?> _keyOf;
    private readonly IEqualityComparer<T> _comparer;
    private readonly SynchronizationContext? _context;
    private readonly CancellationTokenSource _stop = new();
    private Task _pump = Task.CompletedTask;
    private IReadOnlyList<T>? _latest;
    private int _posted;
    private volatile bool _disposed;

    private LiveList(IReadOnlyList<T> first, Func<T, object?> keyOf, IEqualityComparer<T> comparer, SynchronizationContext? context)
    {
        _items = [.. first];
        _keyOf = keyOf;
        _comparer = comparer;
        _context = context;
    }

    /// <inheritdoc />
    public event NotifyCollectionChangedEventHandler? CollectionChanged;

    /// <inheritdoc />
    public event PropertyChangedEventHandler? PropertyChanged;

    /// <inheritdoc />
    public int Count => _items.Count;

    /// <summary>Completes when the list stops following its query: disposed, or the replica closed; faults with the query's error when it failed.</summary>
    public Task Completion => _pump;

    /// <inheritdoc />
    public T this[int index] => _items[index];

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Stops following the query; the list keeps what it holds.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The query's failure is Completion's to tell; disposing only stops.
        }

        _stop.Dispose();
    }

    /// <summary>A list holding the first of <paramref name="results"/>, following the others on <paramref name="context"/>.</summary>
    internal static async Task<LiveList<T>> CreateAsync(
        IAsyncEnumerable<IReadOnlyList<T>> results,
        Func<T, object?> keyOf,
        IEqualityComparer<T> comparer,
        SynchronizationContext? context,
        CancellationToken cancellationToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var enumerator = results.GetAsyncEnumerator(stop.Token);
        try
        {
            var first = await enumerator.MoveNextAsync().ConfigureAwait(false) ? enumerator.Current : [];
            var list = new LiveList<T>(first, keyOf, comparer, context);
            list._pump = list.PumpAsync(enumerator, stop);
            return list;
        }
        catch
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
            stop.Dispose();
            throw;
        }
    }

    private async Task PumpAsync(IAsyncEnumerator<IReadOnlyList<T>> enumerator, CancellationTokenSource linked)
    {
        await using var registration = _stop.Token.Register(linked.Cancel).ConfigureAwait(false);
        try
        {
            while (await enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                Deliver(enumerator.Current);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed: the list stops where it is.
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
            linked.Dispose();
        }
    }

    /// <summary>Hands a result to the context; results that come faster than it applies them are skipped to the latest.</summary>
    private void Deliver(IReadOnlyList<T> result)
    {
        Volatile.Write(ref _latest, result);
        if (Interlocked.Exchange(ref _posted, 1) == 1)
        {
            return;
        }

        if (_context is null)
        {
            ApplyLatest(null);
        }
        else
        {
            _context.Post(ApplyLatest, null);
        }
    }

    private void ApplyLatest(object? state)
    {
        Volatile.Write(ref _posted, 0);
        if (Interlocked.Exchange(ref _latest, null) is not { } result || _disposed)
        {
            return;
        }

        if (!ListDiff.TryApply(_items, result, _keyOf, _comparer, Raise))
        {
            _items.Clear();
            _items.AddRange(result);
            PropertyChanged?.Invoke(this, CountChanged);
            PropertyChanged?.Invoke(this, IndexerChanged);
            CollectionChanged?.Invoke(this, new NotifyCollectionChangedEventArgs(NotifyCollectionChangedAction.Reset));
        }
    }

    private void Raise(ListChange<T> change)
    {
        if (change.Action is NotifyCollectionChangedAction.Add or NotifyCollectionChangedAction.Remove)
        {
            PropertyChanged?.Invoke(this, CountChanged);
        }

        PropertyChanged?.Invoke(this, IndexerChanged);
        CollectionChanged?.Invoke(this, change.ToEventArgs());
    }
}
