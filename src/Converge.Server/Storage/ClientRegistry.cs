using System.Collections.Concurrent;

namespace Converge.Server.Storage;

/// <summary>
/// Buffers client visits in memory and writes the latest of each to the store in one go, so a pull does not
/// cost a durable write. Flushed periodically, before compaction, and at shutdown. Knows which principal owns
/// each client id: that is decided by the store at first use, never by a flush, and then cached here.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class ClientRegistry
{
    // Owners never change once bound, so any cached owner stays true; the bound only keeps memory in check.
    private const int MaxOwnersCached = 100_000;

    private readonly IConvergeStore _store;
    private readonly ConcurrentDictionary<(string Stream, Guid Client), ClientVisit> _pending = new();
    private readonly ConcurrentDictionary<(string Stream, Guid Client), string> _owners = new();

    /// <summary>Creates a registry over a store.</summary>
    public ClientRegistry(IConvergeStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>
    /// True when the client id on the stream belongs to <paramref name="principal"/>: it bound the id before, or binds
    /// it now (durably) on its first use. False when another principal owns the id.
    /// </summary>
    public async ValueTask<bool> ClaimAsync(string stream, Guid clientId, string principal, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(principal);
        if (!_owners.TryGetValue((stream, clientId), out var owner))
        {
            owner = await _store.BindClientAsync(stream, clientId, principal, now, cancellationToken).ConfigureAwait(false);
            if (_owners.Count >= MaxOwnersCached)
            {
                _owners.Clear();
            }

            _owners[(stream, clientId)] = owner;
        }

        return string.Equals(owner, principal, StringComparison.Ordinal);
    }

    /// <summary>The detail of a <c>client_id_taken</c> refusal; it does not name the owner.</summary>
    internal static string TakenDetail(Guid clientId) =>
        $"The client id {clientId:D} belongs to another principal on this stream; a client pushes and pulls under its own id (a new replica gets a new one).";

    /// <summary>Records a visit; a later visit of the same client replaces it, keeping the last known cursor.</summary>
    /// <remarks>Only for a visit whose principal <see cref="ClaimAsync"/> said owns the client id.</remarks>
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
