using System.Text;
using Converge.Core.Actions;
using Converge.Core.Merge;
using Converge.Server.Storage;
using Converge.Sqlite;

namespace Converge.Server.Sqlite;

/// <summary>A write session on the store's one writer connection: a savepoint, committed with its group (<see cref="SqliteWriter"/>).</summary>
internal sealed class SqliteWriteSession : IStreamWriteSession
{
    private readonly SqliteConvergeStore _store;
    private readonly SqliteRecordState _state;
    private readonly long _startHead;
    private readonly long _horizon;
    private readonly Dictionary<Guid, AcceptedAction?> _accepted = [];
    private readonly Dictionary<Guid, RefusedAction?> _refused = [];
    private readonly List<(StoredAction Action, ReadOnlyMemory<byte> Hash)> _appended = [];
    private IReadOnlyList<ConvergeAction> _batch = [];
    private int _fetched;
    private bool _ended;

    public SqliteWriteSession(SqliteConvergeStore store, string stream, (long Head, long Horizon) position, SqliteRecordState state)
    {
        _store = store;
        _state = state;
        Stream = stream;
        Head = position.Head;
        _startHead = position.Head;
        _horizon = position.Horizon;
    }

    /// <summary>How many of a batch's ids one prefetch looks up.</summary>
    private const int Prefetched = 128;

    public string Stream { get; }

    public long Head { get; private set; }

    public IRecordState State => _state;

    public bool OthersWaiting => _store.Writer.OthersWaitFor(Stream);

    /// <summary>How many ids were looked up one at a time (not prefetched), for tests.</summary>
    internal int SingleLookups { get; private set; }

    /// <summary>How many ids the prefetches looked up, for tests.</summary>
    internal int PrefetchedIds { get; private set; }

    /// <summary>
    /// Looks up, in one statement, which of the first ids of the batch were accepted or refused before;
    /// <see cref="FindAccepted"/> and <see cref="FindRefused"/> then answer them from memory, and look up the next
    /// ids the same way once the push's loop reaches them.
    /// </summary>
    /// <remarks>
    /// <see cref="Prefetched"/> ids at a time: a turn may end long before the last action of a large push (other
    /// streams' pushes waiting), and the lookups of the actions it never reaches would be work done for nothing.
    /// </remarks>
    public ValueTask PrefetchAsync(IReadOnlyList<ConvergeAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        _batch = actions;
        _fetched = 0;
        PrefetchNext();
        return ValueTask.CompletedTask;
    }

    public AcceptedAction? FindAccepted(Guid actionId)
    {
        if (_accepted.TryGetValue(actionId, out var known) || (PrefetchThrough(actionId) && _accepted.TryGetValue(actionId, out known)))
        {
            return known;
        }

        SingleLookups++;
        var find = _store.Statements.Get("SELECT idx, body_hash FROM cv_accepted WHERE stream = $s AND action_id = $a", "$s", "$a");
        find.Parameters[0].Value = Stream;
        find.Parameters[1].Value = actionId.ToString("D");
        using var reader = find.ExecuteReader();
        return reader.Read() ? new AcceptedAction(reader.GetInt64(0), (byte[])reader[1]) : null;
    }

    public RefusedAction? FindRefused(Guid actionId)
    {
        if (_refused.TryGetValue(actionId, out var known) || (PrefetchThrough(actionId) && _refused.TryGetValue(actionId, out known)))
        {
            return known;
        }

        SingleLookups++;
        var find = _store.Statements.Get("SELECT body_hash, code, message FROM cv_refused WHERE stream = $s AND action_id = $a", "$s", "$a");
        find.Parameters[0].Value = Stream;
        find.Parameters[1].Value = actionId.ToString("D");
        using var reader = find.ExecuteReader();
        return reader.Read() ? new RefusedAction((byte[])reader[0], reader.GetString(1), reader.GetString(2)) : null;
    }

    /// <summary>
    /// When the id is the batch's first not looked up yet (the push's loop got this far), looks up the next
    /// <see cref="Prefetched"/> from it; false when it is not.
    /// </summary>
    private bool PrefetchThrough(Guid actionId)
    {
        if (_fetched >= _batch.Count || _batch[_fetched].Id != actionId)
        {
            return false;
        }

        PrefetchNext();
        return true;
    }

    /// <summary>Looks up the next <see cref="Prefetched"/> ids of the batch (those not known yet) in one statement.</summary>
    private void PrefetchNext()
    {
        var chunk = _batch.Skip(_fetched).Take(Prefetched).ToList();
        _fetched += chunk.Count;
        var ids = new StringBuilder((chunk.Count * 39) + 2).Append('[');
        var any = false;
        foreach (var action in chunk)
        {
            if (_accepted.TryAdd(action.Id, null))
            {
                _refused.TryAdd(action.Id, null);
                ids.Append(any ? ",\"" : "\"").Append(action.Id.ToString("D")).Append('"');
                any = true;
                PrefetchedIds++;
            }
        }

        if (!any)
        {
            return;
        }

        var find = _store.Statements.Get(
            """
            SELECT 0, action_id, idx, body_hash, NULL, NULL FROM cv_accepted WHERE stream = $s AND action_id IN (SELECT value FROM json_each($ids))
            UNION ALL
            SELECT 1, action_id, NULL, body_hash, code, message FROM cv_refused WHERE stream = $s AND action_id IN (SELECT value FROM json_each($ids))
            """,
            "$s", "$ids");
        find.Parameters[0].Value = Stream;
        find.Parameters[1].Value = ids.Append(']').ToString();
        using var reader = find.ExecuteReader();
        while (reader.Read())
        {
            var id = Guid.ParseExact(reader.GetString(1), "D");
            if (reader.GetInt64(0) == 0)
            {
                _accepted[id] = new AcceptedAction(reader.GetInt64(2), (byte[])reader[3]);
            }
            else
            {
                _refused[id] = new RefusedAction((byte[])reader[3], reader.GetString(4), reader.GetString(5));
            }
        }
    }

    public void Refuse(Guid actionId, RefusedAction refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var upsert = _store.Statements.Get(
            "INSERT INTO cv_refused (stream, action_id, body_hash, code, message) VALUES ($s, $a, $h, $c, $m) ON CONFLICT (stream, action_id) DO UPDATE SET body_hash = excluded.body_hash, code = excluded.code, message = excluded.message",
            "$s", "$a", "$h", "$c", "$m");
        upsert.Parameters[0].Value = Stream;
        upsert.Parameters[1].Value = actionId.ToString("D");
        upsert.Parameters[2].Value = refusal.BodyHash.ToArray();
        upsert.Parameters[3].Value = refusal.Code;
        upsert.Parameters[4].Value = refusal.Message;
        upsert.ExecuteNonQuery();
        _refused[actionId] = refusal;
    }

    /// <summary>Keeps the entry for <see cref="CommitAsync"/>, which writes all of a session's entries in two statements.</summary>
    public void Append(StoredAction action, ReadOnlyMemory<byte> bodyHash)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (action.Index != Head + 1)
        {
            throw new InvalidOperationException($"The next index of stream '{Stream}' is {Head + 1}, not {action.Index}.");
        }

        // Kept as given, not copied: the push's envelopes are immutable, and so are their bodies and hashes.
        _appended.Add((action, bodyHash));
        _accepted[action.ActionId] = new AcceptedAction(action.Index, bodyHash);
        Head = action.Index;
    }

    public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_ended, this);
        _state.FlushSchema();
        if (_appended.Count > 0)
        {
            WriteAppended();
        }

        if (Head != _startHead)
        {
            var update = _store.Statements.Get("UPDATE cv_streams SET head = $h WHERE stream = $s", "$s", "$h");
            update.Parameters[0].Value = Stream;
            update.Parameters[1].Value = Head;
            update.ExecuteNonQuery();
        }

        // From here the session is the writer's: kept in the open transaction, answered once that is durable. The log's
        // in-memory tail moves at the commit, under the writer's lock and in commit order, so it never ends below a
        // head already committed (a late update after an eviction would otherwise rebuild it behind the file).
        _ended = true;
        var entries = _appended.ConvertAll(a => a.Action);
        Action? durable = entries.Count > 0 ? () => _store.Tails.Committed(Stream, _startHead, _horizon, entries) : null;
        await _store.Writer.LeaveAsync(keep: true, durable).ConfigureAwait(false);
    }

    /// <summary>
    /// Inserts the session's entries into <c>cv_log</c> and <c>cv_accepted</c>: two statements per entry, prepared once
    /// on the native handle and bound by position (cheaper, under the writer's lock, than one statement over a JSON
    /// array of rows with bodies in hex, which SQLite then has to parse twice).
    /// </summary>
    private void WriteAppended()
    {
        var (log, accepted) = _store.AppendStatements();
        foreach (var (action, hash) in _appended)
        {
            log.Bind(1, Stream).Bind(2, action.Index).Bind(3, action.ActionId).Bind(4, action.ClientId).Bind(5, action.Principal).BindBlob(6, action.Body.Span).Run();
            accepted.Bind(1, Stream).Bind(2, action.ActionId).Bind(3, action.Index).BindBlob(4, hash.Span).Run();
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_ended)
        {
            _ended = true;
            _state.Invalidate();
            return new ValueTask(_store.Writer.LeaveAsync(keep: false));
        }

        return ValueTask.CompletedTask;
    }
}
