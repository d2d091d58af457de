using System.Data;
using System.Text.Json;
using Converge.Core.Errors;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Schema;
using Converge.Core.Serialization;
using Converge.Core.State;
using Converge.Server.Storage;
using Npgsql;

namespace Converge.Server.Postgres;

/// <summary>
/// The server's store in PostgreSQL, for several server nodes on one database. The stream's row lock orders pushes
/// across nodes; snapshots, exports and pulls read one consistent view (<c>REPEATABLE READ</c>).
/// </summary>
/// <remarks>Thread-safe. Owns its <see cref="NpgsqlDataSource"/> when built from a connection string.</remarks>
internal sealed class PostgresConvergeStore : IConvergeStore, IAsyncDisposable, IDisposable
{
    /// <summary>The notification channel on which committed heads are announced as <c>head:stream</c>.</summary>
    public const string Channel = "converge_heads";

    private readonly NpgsqlDataSource _dataSource;
    private readonly SchemaCache _schemas = new();

    private PostgresConvergeStore(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    /// <summary>The connection string (without the password) this store uses.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString) { Password = null }.ToString();

    internal NpgsqlDataSource DataSource => _dataSource;

    /// <summary>Connects and applies the store's tables (nodes starting together take turns).</summary>
    /// <exception cref="StoreUnavailableException">The database cannot be reached (<c>connect</c>), or its tables cannot be made or migrated (<c>migrate</c>).</exception>
    public static async Task<PostgresConvergeStore> OpenAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            await OpenStepAsync(dataSource, "connect", async () =>
            {
                // Connecting apart from migrating tells which of them failed; the connection goes back to the pool for the next.
                var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
            }).ConfigureAwait(false);
            await OpenStepAsync(dataSource, "migrate", () => PostgresMigrations.ApplyAsync(dataSource, cancellationToken)).ConfigureAwait(false);
            return new PostgresConvergeStore(dataSource);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs one step of opening; a failure of the database names the step and the database (never the password).</summary>
    private static async Task OpenStepAsync(NpgsqlDataSource dataSource, string operation, Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            var store = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString) { Password = null }.ToString();
            var what = operation == "connect" ? "Cannot connect to the PostgreSQL store" : "Cannot migrate the PostgreSQL store's tables";
            throw new StoreUnavailableException(store, operation, $"{what} ({store}): {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public async ValueTask<IStreamWriteSession> BeginWriteAsync(string stream, CancellationToken cancellationToken = default) =>
        await PostgresWriteSession.BeginAsync(_dataSource, _schemas, stream, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<LogPage> ReadAsync(string stream, long after, int limit, CancellationToken cancellationToken = default)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        var (head, horizon) = await PositionAsync(connection, transaction, stream, cancellationToken).ConfigureAwait(false);
        var actions = new List<StoredAction>();
        if (after < head)
        {
            var command = Command(connection, transaction, "SELECT idx, action_id, client_id, principal, body FROM cv_log WHERE stream = $1 AND idx > $2 ORDER BY idx LIMIT $3", stream, after, limit);
            await using var commandScope = command.ConfigureAwait(false);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                actions.Add(new StoredAction(reader.GetInt64(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3), (byte[])reader[4]));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new LogPage(actions, head, horizon);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> ListStreamsAsync(CancellationToken cancellationToken = default)
    {
        var streams = new List<string>();
        var command = _dataSource.CreateCommand("SELECT stream FROM cv_streams ORDER BY stream");
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            streams.Add(reader.GetString(0));
        }

        return streams;
    }

    /// <inheritdoc />
    public async ValueTask<SnapshotRecord?> CreateSnapshotAsync(string stream, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var body = new MemoryStream();
        long index;
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                (index, _) = await PositionAsync(connection, transaction, stream, cancellationToken).ConfigureAwait(false);
                if (await GetLatestSnapshotAsync(stream, cancellationToken).ConfigureAwait(false) is { } latest && latest.Index >= index)
                {
                    return latest;
                }

                var state = await ReadStateAsync(connection, transaction, stream, cancellationToken).ConfigureAwait(false);
                SnapshotFormat.Write(body, stream, index, state);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        var bytes = body.ToArray();
        var snapshot = new SnapshotRecord(stream, index, CanonicalExport.Digest(bytes), bytes.Length, now);
        var insert = _dataSource.CreateCommand("INSERT INTO cv_snapshots (stream, idx, digest, length, created_at, body) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (stream, digest) DO NOTHING");
        await using var insertScope = insert.ConfigureAwait(false);
        foreach (var value in new object[] { stream, index, snapshot.Digest, bytes.LongLength, now, bytes })
        {
            insert.Parameters.Add(PostgresRecordState.Parameter(value));
        }

        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return snapshot;
    }

    /// <inheritdoc />
    public async ValueTask<SnapshotRecord?> GetLatestSnapshotAsync(string stream, CancellationToken cancellationToken = default)
    {
        var command = _dataSource.CreateCommand("SELECT idx, digest, length, created_at FROM cv_snapshots WHERE stream = $1 ORDER BY idx DESC LIMIT 1");
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(PostgresRecordState.Parameter(stream));
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new SnapshotRecord(stream, reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3))
            : null;
    }

    /// <inheritdoc />
    public async ValueTask<Stream?> OpenSnapshotAsync(string stream, string digest, CancellationToken cancellationToken = default)
    {
        var command = _dataSource.CreateCommand("SELECT body FROM cv_snapshots WHERE stream = $1 AND digest = $2");
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(PostgresRecordState.Parameter(stream));
        command.Parameters.Add(PostgresRecordState.Parameter(digest));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] body ? new MemoryStream(body, writable: false) : null;
    }

    /// <inheritdoc />
    public async ValueTask<long> CompactAsync(string stream, long upTo, CancellationToken cancellationToken = default)
    {
        var latest = await GetLatestSnapshotAsync(stream, cancellationToken).ConfigureAwait(false);
        var target = Math.Min(upTo, latest?.Index ?? 0);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        var current = Command(connection, transaction, "SELECT horizon FROM cv_streams WHERE stream = $1 FOR UPDATE", stream);
        await using var currentScope = current.ConfigureAwait(false);
        var horizon = await current.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long h ? h : 0;
        if (target > horizon)
        {
            var delete = Command(connection, transaction, "DELETE FROM cv_log WHERE stream = $1 AND idx <= $2", stream, target);
            await using var deleteScope = delete.ConfigureAwait(false);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            var update = Command(connection, transaction, "UPDATE cv_streams SET horizon = $2 WHERE stream = $1", stream, target);
            await using var updateScope = update.ConfigureAwait(false);
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            horizon = target;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return horizon;
    }

    /// <inheritdoc />
    public async ValueTask TouchClientAsync(ClientVisit visit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(visit);
        using var command = _dataSource.CreateCommand(
            """
            INSERT INTO cv_clients (stream, client_id, principal, owner, cursor, last_seen) VALUES ($1, $2, $3, $3, $4, $5)
            ON CONFLICT (stream, client_id) DO UPDATE SET principal = excluded.principal, owner = excluded.owner,
                last_seen = excluded.last_seen, cursor = COALESCE(excluded.cursor, cv_clients.cursor)
            WHERE cv_clients.owner IS NULL OR cv_clients.owner = excluded.owner
            """);
        command.Parameters.Add(PostgresRecordState.Parameter(visit.Stream));
        command.Parameters.Add(PostgresRecordState.Parameter(visit.ClientId));
        command.Parameters.Add(PostgresRecordState.Parameter(visit.Principal));
        command.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = visit.Cursor, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        command.Parameters.Add(PostgresRecordState.Parameter(visit.SeenAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A bound id costs one read. Otherwise the insert decides: nodes binding at once conflict on the row, the later
    /// waits for the earlier to commit and then leaves its owner alone; the read after it, a new statement, sees that owner.
    /// </remarks>
    public async ValueTask<string> BindClientAsync(string stream, Guid clientId, string principal, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(principal);
        if (await OwnerAsync(stream, clientId, cancellationToken).ConfigureAwait(false) is { } known)
        {
            return known;
        }

        var bind = _dataSource.CreateCommand(
            """
            INSERT INTO cv_clients (stream, client_id, principal, owner, cursor, last_seen) VALUES ($1, $2, $3, $3, NULL, $4)
            ON CONFLICT (stream, client_id) DO UPDATE SET principal = excluded.principal, owner = excluded.owner
            WHERE cv_clients.owner IS NULL
            """);
        await using (bind.ConfigureAwait(false))
        {
            bind.Parameters.Add(PostgresRecordState.Parameter(stream));
            bind.Parameters.Add(PostgresRecordState.Parameter(clientId));
            bind.Parameters.Add(PostgresRecordState.Parameter(principal));
            bind.Parameters.Add(PostgresRecordState.Parameter(now));
            await bind.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return await OwnerAsync(stream, clientId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Client {clientId} on '{stream}' has no owner after binding it.");
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ClientInfo>> ListClientsAsync(string stream, CancellationToken cancellationToken = default)
    {
        var command = _dataSource.CreateCommand("SELECT client_id, principal, cursor, last_seen FROM cv_clients WHERE stream = $1 ORDER BY client_id");
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(PostgresRecordState.Parameter(stream));
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var clients = new List<ClientInfo>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            clients.Add(new ClientInfo(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return clients;
    }

    /// <inheritdoc />
    public async ValueTask SaveCredentialAsync(Credential credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var command = _dataSource.CreateCommand("INSERT INTO cv_credentials (token_hash, principal, streams, created_at) VALUES ($1, $2, $3, $4)");
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(PostgresRecordState.Parameter(credential.TokenHash));
        command.Parameters.Add(PostgresRecordState.Parameter(credential.Principal));
        command.Parameters.Add(PostgresRecordState.Parameter(credential.Streams.ToArray()));
        command.Parameters.Add(PostgresRecordState.Parameter(credential.CreatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<Credential?> FindCredentialAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        var command = _dataSource.CreateCommand("SELECT principal, streams, created_at FROM cv_credentials WHERE token_hash = $1");
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(PostgresRecordState.Parameter(tokenHash));
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new Credential(tokenHash, reader.GetString(0), reader.GetFieldValue<string[]>(1), reader.GetFieldValue<DateTimeOffset>(2))
            : null;
    }

    /// <inheritdoc />
    public async ValueTask ExportAsync(string stream, Stream destination, CancellationToken cancellationToken = default)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        var state = await ReadStateAsync(connection, transaction, stream, cancellationToken).ConfigureAwait(false);
        var writer = new Utf8JsonWriter(destination, CanonicalJson.WriterOptions);
        await using (writer.ConfigureAwait(false))
        {
            CanonicalExport.Write(writer, state);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        var command = _dataSource.CreateCommand("SELECT 1");
        await using var commandScope = command.ConfigureAwait(false);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is 1;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => _dataSource.Dispose();

    /// <summary>The owner of a client id on a stream, or null when it has none (no row, or a row from before bindings).</summary>
    private async Task<string?> OwnerAsync(string stream, Guid clientId, CancellationToken cancellationToken)
    {
        var command = _dataSource.CreateCommand("SELECT owner FROM cv_clients WHERE stream = $1 AND client_id = $2");
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(PostgresRecordState.Parameter(stream));
        command.Parameters.Add(PostgresRecordState.Parameter(clientId));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>A stream's whole state, read in order, as the export and the snapshot writer need it.</summary>
    private static async Task<InMemoryRecordState> ReadStateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string stream, CancellationToken cancellationToken)
    {
        var state = new InMemoryRecordState();
        var schema = Command(connection, transaction, "SELECT body FROM cv_schema WHERE stream = $1", stream);
        await using (schema.ConfigureAwait(false))
        {
            if (await schema.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] body)
            {
                state.SetSchema(SchemaJson.Deserialize(body));
            }
        }

        using (var records = Command(connection, transaction, "SELECT data FROM cv_records WHERE stream = $1", stream))
        using (var reader = await records.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var record = RecordJson.Deserialize((byte[])reader[0]);
                state.SetRecord(record.Key, record);
            }
        }

        using (var elements = Command(connection, transaction, "SELECT collection, id, field, key, data FROM cv_elements WHERE stream = $1", stream))
        using (var reader = await elements.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                state.SetElement(new RecordKey(reader.GetString(0), reader.GetGuid(1)), reader.GetString(2), reader.GetString(3), RecordJson.DeserializeElement((byte[])reader[4]));
            }
        }

        using (var aliases = Command(connection, transaction, "SELECT collection, id, canonical FROM cv_aliases WHERE stream = $1", stream))
        using (var reader = await aliases.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                state.SetAlias(new RecordKey(reader.GetString(0), reader.GetGuid(1)), reader.GetGuid(2));
            }
        }

        return state;
    }

    private static async Task<(long Head, long Horizon)> PositionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string stream, CancellationToken cancellationToken)
    {
        var command = Command(connection, transaction, "SELECT head, horizon FROM cv_streams WHERE stream = $1", stream);
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetInt64(0), reader.GetInt64(1)) : (0, 0);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params object[] values) =>
        PostgresRecordState.Command(connection, transaction, sql, values);
}
