using Converge.Core.Actions;
using Converge.Core.Merge;
using Converge.Server.Storage;
using Npgsql;

namespace Converge.Server.Postgres;

/// <summary>
/// A write transaction holding the stream's row lock (<c>SELECT ... FOR UPDATE</c>): pushes to one stream through any
/// node take turns, so indexes are gapless and validation sees every earlier action. Writes are sent in one batch at commit,
/// with a notification other nodes hear when it commits.
/// </summary>
internal sealed class PostgresWriteSession : IStreamWriteSession
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly PostgresRecordState _state;
    private readonly Dictionary<Guid, AcceptedAction> _accepted = [];
    private readonly List<(StoredAction Action, ReadOnlyMemory<byte> Hash)> _appended = [];
    private readonly Dictionary<Guid, RefusedAction?> _refused = [];
    private readonly Dictionary<Guid, RefusedAction> _newRefusals = [];
    private readonly long _startHead;
    private bool _ended;

    private PostgresWriteSession(NpgsqlConnection connection, NpgsqlTransaction transaction, string stream, long head)
    {
        _connection = connection;
        _transaction = transaction;
        Stream = stream;
        Head = head;
        _startHead = head;
        _state = new PostgresRecordState(connection, transaction, stream);
    }

    public string Stream { get; }

    public long Head { get; private set; }

    public IRecordState State => _state;

    public static async Task<PostgresWriteSession> BeginAsync(NpgsqlDataSource dataSource, string stream, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var ensure = new NpgsqlCommand("INSERT INTO cv_streams (stream) VALUES ($1) ON CONFLICT (stream) DO NOTHING", connection, transaction) { Parameters = { new() { Value = stream } } };
            await using (ensure.ConfigureAwait(false))
            {
                await ensure.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var lockHead = new NpgsqlCommand("SELECT head FROM cv_streams WHERE stream = $1 FOR UPDATE", connection, transaction) { Parameters = { new() { Value = stream } } };

            await using var lockHeadScope = lockHead.ConfigureAwait(false);
            var head = (long)(await lockHead.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            return new PostgresWriteSession(connection, transaction, stream, head);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public void Prefetch(IReadOnlyList<ConvergeAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var ids = actions.Select(a => a.Id).Where(id => !_accepted.ContainsKey(id)).Distinct().ToArray();
        if (ids.Length > 0)
        {
            using (var command = new NpgsqlCommand("SELECT action_id, idx, body_hash FROM cv_accepted WHERE stream = $1 AND action_id = ANY($2)", _connection, _transaction))
            {
                command.Parameters.Add(PostgresRecordState.Parameter(Stream));
                command.Parameters.Add(PostgresRecordState.Parameter(ids));
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    _accepted[reader.GetGuid(0)] = new AcceptedAction(reader.GetInt64(1), (byte[])reader[2]);
                }
            }

            foreach (var id in ids.Where(id => !_accepted.ContainsKey(id)))
            {
                _accepted[id] = Unknown;
            }

            foreach (var id in ids)
            {
                _refused.TryAdd(id, null);
            }

            using (var refused = new NpgsqlCommand("SELECT action_id, body_hash, code, message FROM cv_refused WHERE stream = $1 AND action_id = ANY($2)", _connection, _transaction))
            {
                refused.Parameters.Add(PostgresRecordState.Parameter(Stream));
                refused.Parameters.Add(PostgresRecordState.Parameter(ids));
                using var rows = refused.ExecuteReader();
                while (rows.Read())
                {
                    _refused[rows.GetGuid(0)] = new RefusedAction((byte[])rows[1], rows.GetString(2), rows.GetString(3));
                }
            }
        }

        _state.Prefetch(actions.OfType<RecordAction>().Select(a => new RecordKey(a.Collection, a.Record)));
    }

    public AcceptedAction? FindAccepted(Guid actionId)
    {
        if (!_accepted.TryGetValue(actionId, out var accepted))
        {
            using var command = new NpgsqlCommand("SELECT idx, body_hash FROM cv_accepted WHERE stream = $1 AND action_id = $2", _connection, _transaction);
            command.Parameters.Add(PostgresRecordState.Parameter(Stream));
            command.Parameters.Add(PostgresRecordState.Parameter(actionId));
            using var reader = command.ExecuteReader();
            accepted = reader.Read() ? new AcceptedAction(reader.GetInt64(0), (byte[])reader[1]) : Unknown;
            _accepted[actionId] = accepted;
        }

        return ReferenceEquals(accepted, Unknown) ? null : accepted;
    }

    public RefusedAction? FindRefused(Guid actionId)
    {
        if (!_refused.TryGetValue(actionId, out var refused))
        {
            using var command = new NpgsqlCommand("SELECT body_hash, code, message FROM cv_refused WHERE stream = $1 AND action_id = $2", _connection, _transaction);
            command.Parameters.Add(PostgresRecordState.Parameter(Stream));
            command.Parameters.Add(PostgresRecordState.Parameter(actionId));
            using var reader = command.ExecuteReader();
            refused = reader.Read() ? new RefusedAction((byte[])reader[0], reader.GetString(1), reader.GetString(2)) : null;
            _refused[actionId] = refused;
        }

        return refused;
    }

    public void Refuse(Guid actionId, RefusedAction refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        _refused[actionId] = refusal;
        _newRefusals[actionId] = refusal;
    }

    public void Append(StoredAction action, ReadOnlyMemory<byte> bodyHash)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (action.Index != Head + 1)
        {
            throw new InvalidOperationException($"The next index of stream '{Stream}' is {Head + 1}, not {action.Index}.");
        }

        _appended.Add((action, bodyHash));
        _accepted[action.ActionId] = new AcceptedAction(action.Index, bodyHash.ToArray());
        Head = action.Index;
    }

    public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_ended, this);
        var batch = new NpgsqlBatch(_connection, _transaction);
        await using (batch.ConfigureAwait(false))
        {
            _state.Flush(batch);
            foreach (var (action, hash) in _appended)
            {
                PostgresRecordState.Add(batch, "INSERT INTO cv_log (stream, idx, action_id, client_id, principal, body) VALUES ($1, $2, $3, $4, $5, $6)", Stream, action.Index, action.ActionId, action.ClientId, action.Principal, action.Body.ToArray());
                PostgresRecordState.Add(batch, "INSERT INTO cv_accepted (stream, action_id, idx, body_hash) VALUES ($1, $2, $3, $4)", Stream, action.ActionId, action.Index, hash.ToArray());
            }

            foreach (var (id, refusal) in _newRefusals)
            {
                PostgresRecordState.Add(batch, "INSERT INTO cv_refused (stream, action_id, body_hash, code, message) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (stream, action_id) DO UPDATE SET body_hash = excluded.body_hash, code = excluded.code, message = excluded.message", Stream, id, refusal.BodyHash.ToArray(), refusal.Code, refusal.Message);
            }

            if (Head != _startHead)
            {
                PostgresRecordState.Add(batch, "UPDATE cv_streams SET head = $2 WHERE stream = $1", Stream, Head);
                PostgresRecordState.Add(batch, "SELECT pg_notify($1, $2)", PostgresConvergeStore.Channel, $"{Head}:{Stream}");
            }

            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _ended = true;
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        try
        {
            await _transaction.RollbackAsync().ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The connection is broken: the server rolls the transaction back itself.
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static readonly AcceptedAction Unknown = new(-1, Array.Empty<byte>());
}
