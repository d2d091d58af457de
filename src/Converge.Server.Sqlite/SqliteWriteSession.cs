using Converge.Core.Actions;
using Converge.Core.Merge;
using Converge.Server.Storage;
using Converge.Sqlite;

namespace Converge.Server.Sqlite;

/// <summary>A write transaction on the store's one writer connection.</summary>
internal sealed class SqliteWriteSession : IStreamWriteSession
{
    private readonly SqliteConvergeStore _store;
    private readonly SqliteRecordState _state;
    private readonly long _startHead;
    private bool _ended;

    public SqliteWriteSession(SqliteConvergeStore store, string stream, long head, SqliteRecordState state)
    {
        _store = store;
        _state = state;
        Stream = stream;
        Head = head;
        _startHead = head;
    }

    public string Stream { get; }

    public long Head { get; private set; }

    public IRecordState State => _state;

    public void Prefetch(IReadOnlyList<ConvergeAction> actions)
    {
        // Local reads are cheap: nothing to load ahead.
    }

    public AcceptedAction? FindAccepted(Guid actionId)
    {
        var find = _store.Statements.Get("SELECT idx, body_hash FROM cv_accepted WHERE stream = $s AND action_id = $a", "$s", "$a");
        find.Parameters[0].Value = Stream;
        find.Parameters[1].Value = actionId.ToString("D");
        using var reader = find.ExecuteReader();
        return reader.Read() ? new AcceptedAction(reader.GetInt64(0), (byte[])reader[1]) : null;
    }

    public RefusedAction? FindRefused(Guid actionId)
    {
        var find = _store.Statements.Get("SELECT body_hash, code, message FROM cv_refused WHERE stream = $s AND action_id = $a", "$s", "$a");
        find.Parameters[0].Value = Stream;
        find.Parameters[1].Value = actionId.ToString("D");
        using var reader = find.ExecuteReader();
        return reader.Read() ? new RefusedAction((byte[])reader[0], reader.GetString(1), reader.GetString(2)) : null;
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
    }

    public void Append(StoredAction action, ReadOnlyMemory<byte> bodyHash)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (action.Index != Head + 1)
        {
            throw new InvalidOperationException($"The next index of stream '{Stream}' is {Head + 1}, not {action.Index}.");
        }

        var insert = _store.Statements.Get(
            "INSERT INTO cv_log (stream, idx, action_id, client_id, principal, body) VALUES ($s, $i, $a, $c, $p, $b)",
            "$s", "$i", "$a", "$c", "$p", "$b");
        insert.Parameters[0].Value = Stream;
        insert.Parameters[1].Value = action.Index;
        insert.Parameters[2].Value = action.ActionId.ToString("D");
        insert.Parameters[3].Value = action.ClientId.ToString("D");
        insert.Parameters[4].Value = action.Principal;
        insert.Parameters[5].Value = action.Body.ToArray();
        insert.ExecuteNonQuery();

        var accepted = _store.Statements.Get("INSERT INTO cv_accepted (stream, action_id, idx, body_hash) VALUES ($s, $a, $i, $h)", "$s", "$a", "$i", "$h");
        accepted.Parameters[0].Value = Stream;
        accepted.Parameters[1].Value = action.ActionId.ToString("D");
        accepted.Parameters[2].Value = action.Index;
        accepted.Parameters[3].Value = bodyHash.ToArray();
        accepted.ExecuteNonQuery();
        Head = action.Index;
    }

    public ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_ended, this);
        if (Head != _startHead)
        {
            var update = _store.Statements.Get("UPDATE cv_streams SET head = $h WHERE stream = $s", "$s", "$h");
            update.Parameters[0].Value = Stream;
            update.Parameters[1].Value = Head;
            update.ExecuteNonQuery();
        }

        _store.Commit();
        _ended = true;
        _store.EndWrite();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        if (!_ended)
        {
            _ended = true;
            try
            {
                _store.RollBack();
                _state.Invalidate();
            }
            finally
            {
                _store.EndWrite();
            }
        }

        return ValueTask.CompletedTask;
    }
}
