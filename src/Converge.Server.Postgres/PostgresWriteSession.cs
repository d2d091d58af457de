using System.Runtime.InteropServices;
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
    private readonly SchemaCache _schemas;
    private readonly byte[]? _schemaHash;
    private bool _ended;

    private PostgresWriteSession(NpgsqlConnection connection, NpgsqlTransaction transaction, string stream, (long Head, byte[]? SchemaHash) position, SchemaCache schemas)
    {
        _connection = connection;
        _transaction = transaction;
        Stream = stream;
        Head = position.Head;
        _startHead = position.Head;
        _schemas = schemas;
        _schemaHash = position.SchemaHash;
        _state = new PostgresRecordState(connection, transaction, stream, schemas.Find(stream, position.SchemaHash));
    }

    public string Stream { get; }

    public long Head { get; private set; }

    public IRecordState State => _state;

    /// <summary>False: a stream's row lock holds up pushes to that stream only.</summary>
    public bool OthersWaiting => false;

    public static async Task<PostgresWriteSession> BeginAsync(NpgsqlDataSource dataSource, SchemaCache schemas, string stream, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

            // One round trip: make sure the stream's row exists, then wait for its lock and read the head and the schema's hash.
            var lockHead = new NpgsqlBatch(connection, transaction);
            await using var lockHeadScope = lockHead.ConfigureAwait(false);
            PostgresRecordState.Add(lockHead, "INSERT INTO cv_streams (stream) VALUES ($1) ON CONFLICT (stream) DO NOTHING", stream);
            PostgresRecordState.Add(lockHead, "SELECT head, schema_hash FROM cv_streams WHERE stream = $1 FOR UPDATE", stream);
            var reader = await lockHead.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            (long Head, byte[]? SchemaHash) position;
            await using (reader.ConfigureAwait(false))
            {
                // The insert has no rows to read; the reader may or may not stand on a result of its own.
                while (reader.FieldCount < 2 && await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
                {
                }

                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                position = (reader.GetInt64(0), reader.IsDBNull(1) ? null : (byte[])reader[1]);
            }

            return new PostgresWriteSession(connection, transaction, stream, position, schemas);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Loads in one round trip, under the stream's lock: which ids were accepted or refused, and the state the actions touch.</summary>
    public async ValueTask PrefetchAsync(IReadOnlyList<ConvergeAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var ids = actions.Select(a => a.Id).Where(id => !_accepted.ContainsKey(id)).Distinct().ToArray();
        var batch = new NpgsqlBatch(_connection, _transaction);
        await using (batch.ConfigureAwait(false))
        {
            if (ids.Length > 0)
            {
                PostgresRecordState.Add(batch, "SELECT action_id, idx, body_hash FROM cv_accepted WHERE stream = $1 AND action_id = ANY($2)", Stream, ids);
                PostgresRecordState.Add(batch, "SELECT action_id, body_hash, code, message FROM cv_refused WHERE stream = $1 AND action_id = ANY($2)", Stream, ids);
            }

            var state = _state.AddPrefetch(batch, actions);
            if (batch.BatchCommands.Count == 0)
            {
                return;
            }

            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (ids.Length > 0)
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        _accepted[reader.GetGuid(0)] = new AcceptedAction(reader.GetInt64(1), (byte[])reader[2]);
                    }

                    foreach (var id in ids)
                    {
                        _accepted.TryAdd(id, Unknown);
                        _refused.TryAdd(id, null);
                    }

                    await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        _refused[reader.GetGuid(0)] = new RefusedAction((byte[])reader[1], reader.GetString(2), reader.GetString(3));
                    }

                    await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                }

                await _state.ReadPrefetchAsync(reader, state, cancellationToken).ConfigureAwait(false);
            }

            if (state.Schema)
            {
                await PrefetchElementsAsync(actions, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// After a prefetch that read the schema (this node did not hold it): the elements the actions add or remove, in one
    /// more round trip instead of one per action. Their keys need their fields' types, which the schema gives.
    /// </summary>
    private async ValueTask PrefetchElementsAsync(IReadOnlyList<ConvergeAction> actions, CancellationToken cancellationToken)
    {
        var batch = new NpgsqlBatch(_connection, _transaction);
        await using (batch.ConfigureAwait(false))
        {
            if (_state.AddElementPrefetch(batch, actions) is not { } elements)
            {
                return;
            }

            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await _state.ReadElementPrefetchAsync(reader, elements, cancellationToken).ConfigureAwait(false);
            }
        }
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

        // Kept as given, not copied: the push's envelopes are immutable, and so are their bodies and hashes.
        _appended.Add((action, bodyHash));
        _accepted[action.ActionId] = new AcceptedAction(action.Index, bodyHash);
        Head = action.Index;
    }

    public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_ended, this);
        var batch = new NpgsqlBatch(_connection, _transaction);
        await using (batch.ConfigureAwait(false))
        {
            _state.Flush(batch);
            if (_appended.Count > 0)
            {
                // Two statements for the whole push, one row per action each, in log order.
                var indexes = _appended.Select(a => a.Action.Index).ToArray();
                var ids = _appended.Select(a => a.Action.ActionId).ToArray();
                PostgresRecordState.Add(
                    batch,
                    "INSERT INTO cv_log (stream, idx, action_id, client_id, principal, body) SELECT $1, * FROM unnest($2::bigint[], $3::uuid[], $4::uuid[], $5::text[], $6::bytea[])",
                    Stream, indexes, ids, _appended.Select(a => a.Action.ClientId).ToArray(), _appended.Select(a => a.Action.Principal).ToArray(), _appended.Select(a => Whole(a.Action.Body)).ToArray());
                PostgresRecordState.Add(
                    batch,
                    "INSERT INTO cv_accepted (stream, action_id, idx, body_hash) SELECT $1, * FROM unnest($2::uuid[], $3::bigint[], $4::bytea[])",
                    Stream, ids, indexes, _appended.Select(a => Whole(a.Hash)).ToArray());
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
        if (_state.LoadedSchema is { } schema)
        {
            _schemas.Keep(Stream, _state.SchemaChanged ? _state.WrittenSchemaHash : _schemaHash, schema);
        }

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

    /// <summary>The bytes as an array for a <c>bytea[]</c> parameter: the array itself when the memory is all of one (an envelope's body and hash are), else a copy.</summary>
    private static byte[] Whole(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length ? segment.Array : bytes.ToArray();
}
