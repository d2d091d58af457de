namespace Converge.Server.Sqlite;

/// <summary>
/// Which streams' writes wait for the store's one writer: pushes waiting to start, and group commits waiting to commit
/// the streams they hold. A push to one stream lets the writer go early only for writes of another stream (a push to
/// the same stream gains nothing from cutting it short).
/// </summary>
/// <remarks>Thread-safe. A write of no stream (the registry, a snapshot, a credential) counts as another stream's.</remarks>
internal sealed class WaitingWrites
{
    private readonly Dictionary<string, int> _byStream = new(StringComparer.Ordinal);
    private int _unnamed;

    /// <summary>Counts writes of these streams (null for none) as waiting until the returned scope ends.</summary>
    public Scope Wait(IReadOnlyCollection<string?> streams)
    {
        Move(streams, +1);
        return new Scope(this, streams);
    }

    /// <summary>True when a write of a stream other than <paramref name="stream"/> waits.</summary>
    public bool AnyOtherThan(string stream)
    {
        lock (_byStream)
        {
            return _unnamed > 0 || _byStream.Any(w => w.Value > 0 && !string.Equals(w.Key, stream, StringComparison.Ordinal));
        }
    }

    private void Move(IReadOnlyCollection<string?> streams, int by)
    {
        lock (_byStream)
        {
            foreach (var stream in streams)
            {
                if (stream is null)
                {
                    _unnamed += by;
                }
                else if ((_byStream[stream] = _byStream.GetValueOrDefault(stream) + by) == 0)
                {
                    _byStream.Remove(stream);
                }
            }
        }
    }

    /// <summary>Ends the wait of the writes it counted.</summary>
    public readonly struct Scope(WaitingWrites owner, IReadOnlyCollection<string?> streams) : IDisposable
    {
        public void Dispose() => owner.Move(streams, -1);
    }
}
