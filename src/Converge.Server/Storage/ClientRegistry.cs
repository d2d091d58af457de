using System.Collections.Concurrent;

namespace Converge.Server.Storage;

/// <summary>
/// Buffers client visits in memory and writes the latest of each to the store in one go, so a pull does not
/// cost a durable write. Flushed periodically, before compaction, and at shutdown.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class ClientRegistry
{
    private readonly IConvergeStore _store;
    private readonly ConcurrentDictionary<(string Stream, Guid Client), ClientVisit> _pending = new();

    /// <summary>Creates a registry over a store.</summary>
    public ClientRegistry(IConvergeStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Records a visit; a later visit of the same client replaces it, keeping the last known cursor.</summary>
    public void Record(ClientVisit visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        _pending.AddOrUpdate((visit.Stream, visit.ClientId), visit, (_, earlier) => visit.Cursor is null ? visit with { Cursor = earlier.Cursor } : visit);
    }

    /// <summary>Writes every buffered visit to the store.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        foreach (var key in _pending.Keys)
        {
            if (_pending.TryRemove(key, out var visit))
            {
                await _store.TouchClientAsync(visit, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
