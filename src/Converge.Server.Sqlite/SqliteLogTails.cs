using Converge.Server.Storage;

namespace Converge.Server.Sqlite;

/// <summary>
/// The last entries the store committed to each recently written stream, so that the pulls every watcher makes right
/// after a push (all of them after nearly the same cursor) are answered from memory instead of each opening the file.
/// </summary>
/// <remarks>
/// <para>
/// A tail is a run of consecutive entries ending at the head it records, and is only ever moved forward, by the commit
/// that made the entries durable, under the writer's lock and in commit order, before any push of that commit is
/// answered (so before any watcher hears of the new head, and never to below a head already committed). A read is answered from it only when the cursor lies within the run and at or above the horizon; any other
/// read goes to the file. A read answered here may miss a commit of the last instants, like any read that came a
/// little earlier: the notification of that commit comes after its entries are here.
/// </para>
/// <para>Bounded: <see cref="MaxEntries"/> entries per stream, <see cref="MaxStreams"/> streams. Thread-safe.</para>
/// </remarks>
internal sealed class SqliteLogTails
{
    /// <summary>Entries kept per stream.</summary>
    public const int MaxEntries = 128;

    /// <summary>Streams kept at once; beyond it one is forgotten for each new one.</summary>
    public const int MaxStreams = 128;

    private readonly Dictionary<string, Tail> _tails = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>
    /// Records entries a commit made durable: <paramref name="appended"/> follow index <paramref name="after"/>; the
    /// writer saw the compaction horizon at <paramref name="horizon"/> (it can only have grown to at most <paramref name="after"/> since).
    /// </summary>
    public void Committed(string stream, long after, long horizon, IReadOnlyList<StoredAction> appended)
    {
        if (appended.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            var known = _tails.GetValueOrDefault(stream);
            if (known is not null && after < known.Head)
            {
                // Updates come in commit order (under the writer's lock); kept as a guard: never move a tail back.
                return;
            }

            var joined = known is not null && after == known.Head ? [.. known.Entries, .. appended] : appended.ToArray();
            var kept = joined.Length > MaxEntries ? joined[^MaxEntries..] : joined;
            if (known is null && _tails.Count >= MaxStreams)
            {
                foreach (var other in _tails.Keys)
                {
                    _tails.Remove(other);
                    break;
                }
            }

            _tails[stream] = new Tail(kept, Math.Max(horizon, known?.Horizon ?? 0));
        }
    }

    /// <summary>Forgets a stream's tail after its log was compacted.</summary>
    public void Compacted(string stream)
    {
        lock (_gate)
        {
            // Dropped rather than trimmed: the next commit starts a new tail, and reads go to the file until then.
            _tails.Remove(stream);
        }
    }

    /// <summary>The page after <paramref name="after"/> from memory, or null when the tail does not cover it.</summary>
    public LogPage? TryRead(string stream, long after, int limit)
    {
        Tail? tail;
        lock (_gate)
        {
            tail = _tails.GetValueOrDefault(stream);
        }

        if (tail is null || after < tail.Entries[0].Index - 1 || after > tail.Head || after < tail.Horizon)
        {
            return null;
        }

        var start = (int)(after - (tail.Entries[0].Index - 1));
        var count = Math.Min(limit, tail.Entries.Length - start);
        return new LogPage(new ArraySegment<StoredAction>(tail.Entries, start, count), tail.Head, tail.Horizon);
    }

    /// <summary>Consecutive entries ending at <see cref="Head"/>.</summary>
    private sealed record Tail(StoredAction[] Entries, long Horizon)
    {
        public long Head => Entries[^1].Index;
    }
}
