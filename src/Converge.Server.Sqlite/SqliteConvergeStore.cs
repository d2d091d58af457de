using System.Globalization;
using System.Text.Json;
using Converge.Core.Errors;
using Converge.Core.Export;
using Converge.Server.Storage;
using Converge.Sqlite;
using Microsoft.Data.Sqlite;

namespace Converge.Server.Sqlite;

/// <summary>
/// The server's store in one SQLite file: WAL with <c>synchronous=FULL</c>, so an acknowledged action survives a
/// crash or a power loss. One writer connection serializes write sessions; reads use their own connections.
/// </summary>
internal sealed class SqliteConvergeStore : IConvergeStore, IDisposable
{
    private readonly SqliteWriter _writer;
    private readonly SqliteConnection _writeConnection;
    private const int MaxCachedStates = 256;
    private readonly Dictionary<string, SqliteRecordState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _stateUse = new(StringComparer.Ordinal);
    private long _stateClock;
    private readonly SqliteStatements _statements;
    private readonly SqliteLogTails _tails = new();
    private RawStatement? _insertLog;
    private RawStatement? _insertAccepted;
    private readonly string _readConnectionString;
    private readonly WalCheckpointer _checkpointer;
    private bool _disposed;

    /// <summary>Opens (or creates) the database file and its tables.</summary>
    /// <exception cref="StoreUnavailableException">The file cannot be opened, is not a database, or its tables cannot be made.</exception>
    public SqliteConvergeStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        _writeConnection = OpenWriter(Path);
        _statements = new SqliteStatements(_writeConnection);
        WalCheckpointer.TakeOver(_writeConnection);
        _checkpointer = new WalCheckpointer(Path, CheckpointInterval);
        _writer = new SqliteWriter(_statements, InvalidateStates, _checkpointer.Committed);
        _readConnectionString = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWrite, Pooling = true }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The writer's connection, with the store's tables made; SQLite's error is kept inside the one that says which file failed.</summary>
    private static SqliteConnection OpenWriter(string path)
    {
        SqliteConnection? connection = null;
        try
        {
            connection = SqliteText.Open(path, fullSync: true);
            SqliteMigrations.ApplyRecordState(connection);
            SqliteMigrations.Apply(connection, typeof(SqliteConvergeStore).Assembly, "Converge.Server.Sqlite.Sql.");
            return connection;
        }
        catch (SqliteException e)
        {
            connection?.Dispose();
            throw new StoreUnavailableException(path, "open", $"Cannot open the SQLite store {path}: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Sessions take turns on one writer connection, and share commits (see <see cref="SqliteWriter"/>): a session's
    /// <see cref="IStreamWriteSession.CommitAsync"/> returns once it is durable, with the sessions that finished while it
    /// waited for its turn to commit.
    /// </remarks>
    public async ValueTask<IStreamWriteSession> BeginWriteAsync(string stream, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writer.EnterAsync(stream, cancellationToken).ConfigureAwait(false);
        try
        {
            var ensure = _statements.Get("INSERT INTO cv_streams (stream) VALUES ($s) ON CONFLICT (stream) DO NOTHING", "$s");
            ensure.Parameters[0].Value = stream;
            ensure.ExecuteNonQuery();
            var position = _statements.Get("SELECT head, horizon FROM cv_streams WHERE stream = $s", "$s");
            position.Parameters[0].Value = stream;
            long current, horizon;
            using (var reader = position.ExecuteReader())
            {
                reader.Read();
                (current, horizon) = (reader.GetInt64(0), reader.GetInt64(1));
            }

            // The state (and the schema it caches) is kept across pushes: only this connection writes the file, and a
            // rolled-back write drops what it cached. Bounded: the least recently written stream's state goes first.
            if (!_states.TryGetValue(stream, out var state))
            {
                if (_states.Count >= MaxCachedStates)
                {
                    var oldest = _states.MinBy(s => _stateUse[s.Key]).Key;
                    _states[oldest].Dispose();
                    _states.Remove(oldest);
                    _stateUse.Remove(oldest);
                }

                // Many schema actions in one push write the schema once, at the commit (SqliteWriteSession).
                state = new SqliteRecordState(_writeConnection, stream) { DeferSchemaWrites = true };
                _states[stream] = state;
            }

            _stateUse[stream] = ++_stateClock;
            return new SqliteWriteSession(this, stream, (current, horizon), state);
        }
        catch
        {
            await _writer.LeaveAsync(keep: false).ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>A read at the tail of a stream this store wrote lately is answered from memory (see <see cref="SqliteLogTails"/>).</remarks>
    public ValueTask<LogPage> ReadAsync(string stream, long after, int limit, CancellationToken cancellationToken = default)
    {
        if (_tails.TryRead(stream, after, limit) is { } recent)
        {
            return ValueTask.FromResult(recent);
        }

        using var connection = OpenReader();
        using var transaction = SqliteText.BeginRead(connection);
        var (head, horizon) = ReadPosition(connection, stream);
        var actions = new List<StoredAction>(Math.Min(limit, 1024));
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT idx, action_id, client_id, principal, body FROM cv_log WHERE stream = $s AND idx > $a ORDER BY idx LIMIT $l";
            command.Parameters.AddWithValue("$s", stream);
            command.Parameters.AddWithValue("$a", after);
            command.Parameters.AddWithValue("$l", limit);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                actions.Add(new StoredAction(reader.GetInt64(0), Guid.ParseExact(reader.GetString(1), "D"), Guid.ParseExact(reader.GetString(2), "D"), reader.GetString(3), (byte[])reader[4]));
            }
        }

        return ValueTask.FromResult(new LogPage(actions, head, horizon));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListStreamsAsync(CancellationToken cancellationToken = default)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT stream FROM cv_streams ORDER BY stream";
        using var reader = command.ExecuteReader();
        var streams = new List<string>();
        while (reader.Read())
        {
            streams.Add(reader.GetString(0));
        }

        return ValueTask.FromResult<IReadOnlyList<string>>(streams);
    }

    /// <inheritdoc />
    public async ValueTask<SnapshotRecord?> CreateSnapshotAsync(string stream, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var body = new MemoryStream();
        long index;
        using (var connection = OpenReader())
        using (SqliteText.BeginRead(connection))
        {
            (index, _) = ReadPosition(connection, stream);
            if (await GetLatestSnapshotAsync(stream, cancellationToken).ConfigureAwait(false) is { } latest && latest.Index >= index)
            {
                return latest;
            }

            using var state = new SqliteRecordState(connection, stream);
            SnapshotFormat.Write(body, stream, index, state);
        }

        var bytes = body.ToArray();
        var snapshot = new SnapshotRecord(stream, index, CanonicalExport.Digest(bytes), bytes.Length, now);
        await WriteAsync(
            () =>
            {
                var insert = _statements.Get(
                    "INSERT INTO cv_snapshots (stream, idx, digest, length, created_at, body) VALUES ($s, $i, $d, $l, $c, $b) ON CONFLICT (stream, digest) DO NOTHING",
                    "$s", "$i", "$d", "$l", "$c", "$b");
                insert.Parameters[0].Value = stream;
                insert.Parameters[1].Value = index;
                insert.Parameters[2].Value = snapshot.Digest;
                insert.Parameters[3].Value = bytes.LongLength;
                insert.Parameters[4].Value = Time(now);
                insert.Parameters[5].Value = bytes;
                insert.ExecuteNonQuery();
            },
            cancellationToken).ConfigureAwait(false);
        return snapshot;
    }

    /// <inheritdoc />
    public ValueTask<SnapshotRecord?> GetLatestSnapshotAsync(string stream, CancellationToken cancellationToken = default)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT idx, digest, length, created_at FROM cv_snapshots WHERE stream = $s ORDER BY idx DESC LIMIT 1";
        command.Parameters.AddWithValue("$s", stream);
        using var reader = command.ExecuteReader();
        return ValueTask.FromResult(reader.Read()
            ? new SnapshotRecord(stream, reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), ParseTime(reader.GetString(3)))
            : null);
    }

    /// <inheritdoc />
    public ValueTask<Stream?> OpenSnapshotAsync(string stream, string digest, CancellationToken cancellationToken = default)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM cv_snapshots WHERE stream = $s AND digest = $d";
        command.Parameters.AddWithValue("$s", stream);
        command.Parameters.AddWithValue("$d", digest);
        return ValueTask.FromResult<Stream?>(command.ExecuteScalar() is byte[] body ? new MemoryStream(body, writable: false) : null);
    }

    /// <inheritdoc />
    public async ValueTask<long> CompactAsync(string stream, long upTo, CancellationToken cancellationToken = default)
    {
        var latest = await GetLatestSnapshotAsync(stream, cancellationToken).ConfigureAwait(false);
        var target = Math.Min(upTo, latest?.Index ?? 0);
        long horizon = 0;
        await WriteAsync(
            () =>
            {
                var current = _statements.Get("SELECT horizon FROM cv_streams WHERE stream = $s", "$s");
                current.Parameters[0].Value = stream;
                horizon = current.ExecuteScalar() is long h ? h : 0;
                if (target <= horizon)
                {
                    return;
                }

                var delete = _statements.Get("DELETE FROM cv_log WHERE stream = $s AND idx <= $i", "$s", "$i");
                delete.Parameters[0].Value = stream;
                delete.Parameters[1].Value = target;
                delete.ExecuteNonQuery();
                var update = _statements.Get("UPDATE cv_streams SET horizon = $i WHERE stream = $s", "$s", "$i");
                update.Parameters[0].Value = stream;
                update.Parameters[1].Value = target;
                update.ExecuteNonQuery();
                horizon = target;
            },
            cancellationToken).ConfigureAwait(false);
        _tails.Compacted(stream);
        return horizon;
    }

    /// <inheritdoc />
    public ValueTask TouchClientAsync(ClientVisit visit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(visit);
        return WriteAsync(
            () =>
            {
                var upsert = _statements.Get(
                    """
                    INSERT INTO cv_clients (stream, client_id, principal, owner, cursor, last_seen) VALUES ($s, $c, $p, $p, $k, $t)
                    ON CONFLICT (stream, client_id) DO UPDATE SET principal = excluded.principal, owner = excluded.owner,
                        last_seen = excluded.last_seen, cursor = COALESCE($k, cv_clients.cursor)
                    WHERE cv_clients.owner IS NULL OR cv_clients.owner = excluded.owner
                    """,
                    "$s", "$c", "$p", "$k", "$t");
                upsert.Parameters[0].Value = visit.Stream;
                upsert.Parameters[1].Value = visit.ClientId.ToString("D");
                upsert.Parameters[2].Value = visit.Principal;
                upsert.Parameters[3].Value = visit.Cursor is { } cursor ? cursor : DBNull.Value;
                upsert.Parameters[4].Value = Time(visit.SeenAt);
                upsert.ExecuteNonQuery();
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A bound id costs one read; only a first use (or a row from before bindings) takes the writer.</remarks>
    public async ValueTask<string> BindClientAsync(string stream, Guid clientId, string principal, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(principal);
        var id = clientId.ToString("D");
        using (var connection = OpenReader())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT owner FROM cv_clients WHERE stream = $s AND client_id = $c";
            command.Parameters.AddWithValue("$s", stream);
            command.Parameters.AddWithValue("$c", id);
            if (command.ExecuteScalar() is string known)
            {
                return known;
            }
        }

        var owner = principal;
        await WriteAsync(
            () =>
            {
                var bind = _statements.Get(
                    """
                    INSERT INTO cv_clients (stream, client_id, principal, owner, cursor, last_seen) VALUES ($s, $c, $p, $p, NULL, $t)
                    ON CONFLICT (stream, client_id) DO UPDATE SET principal = excluded.principal, owner = excluded.owner
                    WHERE cv_clients.owner IS NULL
                    """,
                    "$s", "$c", "$p", "$t");
                bind.Parameters[0].Value = stream;
                bind.Parameters[1].Value = id;
                bind.Parameters[2].Value = principal;
                bind.Parameters[3].Value = Time(now);
                bind.ExecuteNonQuery();
                var read = _statements.Get("SELECT owner FROM cv_clients WHERE stream = $s AND client_id = $c", "$s", "$c");
                read.Parameters[0].Value = stream;
                read.Parameters[1].Value = id;
                owner = (string)read.ExecuteScalar()!;
            },
            cancellationToken).ConfigureAwait(false);
        return owner;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ClientInfo>> ListClientsAsync(string stream, CancellationToken cancellationToken = default)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT client_id, principal, cursor, last_seen FROM cv_clients WHERE stream = $s ORDER BY client_id";
        command.Parameters.AddWithValue("$s", stream);
        using var reader = command.ExecuteReader();
        var clients = new List<ClientInfo>();
        while (reader.Read())
        {
            clients.Add(new ClientInfo(Guid.ParseExact(reader.GetString(0), "D"), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), ParseTime(reader.GetString(3))));
        }

        return ValueTask.FromResult<IReadOnlyList<ClientInfo>>(clients);
    }

    /// <inheritdoc />
    public ValueTask SaveCredentialAsync(Credential credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return WriteAsync(
            () =>
            {
                var insert = _statements.Get("INSERT INTO cv_credentials (token_hash, principal, streams, created_at) VALUES ($h, $p, $s, $c)", "$h", "$p", "$s", "$c");
                insert.Parameters[0].Value = credential.TokenHash;
                insert.Parameters[1].Value = credential.Principal;
                insert.Parameters[2].Value = JsonSerializer.Serialize(credential.Streams.ToArray(), SqliteStoreJsonContext.Default.StringArray);
                insert.Parameters[3].Value = Time(credential.CreatedAt);
                insert.ExecuteNonQuery();
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<Credential?> FindCredentialAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT principal, streams, created_at FROM cv_credentials WHERE token_hash = $h";
        command.Parameters.AddWithValue("$h", tokenHash);
        using var reader = command.ExecuteReader();
        return ValueTask.FromResult(reader.Read()
            ? new Credential(tokenHash, reader.GetString(0), JsonSerializer.Deserialize(reader.GetString(1), SqliteStoreJsonContext.Default.StringArray) ?? [], ParseTime(reader.GetString(2)))
            : null);
    }

    /// <inheritdoc />
    public ValueTask ExportAsync(string stream, Stream destination, CancellationToken cancellationToken = default)
    {
        using var connection = OpenReader();
        using var transaction = SqliteText.BeginRead(connection);
        using var state = new SqliteRecordState(connection, stream);
        using var writer = new Utf8JsonWriter(destination, CanonicalJson.WriterOptions);
        CanonicalExport.Write(writer, state);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        using var connection = OpenReader();
        return ValueTask.FromResult(SqliteText.Scalar(connection, "SELECT 1") is 1L);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _writer.Close();
        _checkpointer.Dispose();
        foreach (var state in _states.Values)
        {
            state.Dispose();
        }

        _insertLog?.Dispose();
        _insertAccepted?.Dispose();
        _statements.Dispose();
        _writeConnection.Dispose();
        SqliteConnection.ClearAllPools();
    }

    internal SqliteStatements Statements => _statements;

    internal SqliteWriter Writer => _writer;

    internal WalCheckpointer Checkpointer => _checkpointer;

    /// <summary>The least time between two checkpoints of the write-ahead log (see <see cref="WalCheckpointer"/>).</summary>
    internal static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(100);

    internal SqliteLogTails Tails => _tails;

    /// <summary>The inserts of an appended entry into <c>cv_log</c> and <c>cv_accepted</c>, for the holder of the writer's lock.</summary>
    internal (RawStatement Log, RawStatement Accepted) AppendStatements()
    {
        _insertLog ??= new RawStatement(_writeConnection, "INSERT INTO cv_log (stream, idx, action_id, client_id, principal, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        _insertAccepted ??= new RawStatement(_writeConnection, "INSERT INTO cv_accepted (stream, action_id, idx, body_hash) VALUES (?1, ?2, ?3, ?4)");
        return (_insertLog, _insertAccepted);
    }

    private void InvalidateStates()
    {
        foreach (var state in _states.Values)
        {
            state.Invalidate();
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static (long Head, long Horizon) ReadPosition(SqliteConnection connection, string stream)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT head, horizon FROM cv_streams WHERE stream = $s";
        command.Parameters.AddWithValue("$s", stream);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1)) : (0, 0);
    }

    private SqliteConnection OpenReader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();

        // Collection tables' columns use them; a reader that meets one without them fails.
        ConvergeCollations.Register(connection);
        return connection;
    }

    private async ValueTask WriteAsync(Action write, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writer.EnterAsync(null, cancellationToken).ConfigureAwait(false);
        try
        {
            write();
        }
        catch
        {
            await _writer.LeaveAsync(keep: false).ConfigureAwait(false);
            throw;
        }

        await _writer.LeaveAsync(keep: true).ConfigureAwait(false);
    }
}
