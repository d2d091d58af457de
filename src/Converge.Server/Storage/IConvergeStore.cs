namespace Converge.Server.Storage;

/// <summary>
/// Where a server keeps its streams: logs, materialized state, snapshots, the client registry and credentials.
/// SQLite and PostgreSQL implement it; one contract test suite checks both.
/// </summary>
/// <remarks>Thread-safe. Stream names are validated by the server before they reach a store.</remarks>
internal interface IConvergeStore
{
    /// <summary>Opens a write transaction on a stream (creating the stream if new), holding its head until disposed.</summary>
    ValueTask<IStreamWriteSession> BeginWriteAsync(string stream, CancellationToken cancellationToken = default);

    /// <summary>Reads up to <paramref name="limit"/> entries after <paramref name="after"/>, with the head and horizon of the same view.</summary>
    ValueTask<LogPage> ReadAsync(string stream, long after, int limit, CancellationToken cancellationToken = default);

    /// <summary>The streams that exist.</summary>
    ValueTask<IReadOnlyList<string>> ListStreamsAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes a snapshot of the stream's current state at its head, unless the latest already is at the head.</summary>
    ValueTask<SnapshotRecord?> CreateSnapshotAsync(string stream, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The latest snapshot of a stream, or null.</summary>
    ValueTask<SnapshotRecord?> GetLatestSnapshotAsync(string stream, CancellationToken cancellationToken = default);

    /// <summary>Opens a snapshot's body by digest, or null when the stream has no such snapshot.</summary>
    ValueTask<Stream?> OpenSnapshotAsync(string stream, string digest, CancellationToken cancellationToken = default);

    /// <summary>
    /// Drops log entries at or below <paramref name="upTo"/>, never above the latest snapshot's index, and returns
    /// the new horizon. Accepted action ids are kept, so retries stay duplicates.
    /// </summary>
    ValueTask<long> CompactAsync(string stream, long upTo, CancellationToken cancellationToken = default);

    /// <summary>Records a client's visit in the registry; a visit by another principal than the client's owner changes nothing.</summary>
    ValueTask TouchClientAsync(ClientVisit visit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Binds a client id on a stream to <paramref name="principal"/> unless it already has an owner, durably before it
    /// returns, and returns the owner. The first use wins, also between server nodes that share the store at once.
    /// </summary>
    ValueTask<string> BindClientAsync(string stream, Guid clientId, string principal, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The client registry of a stream.</summary>
    ValueTask<IReadOnlyList<ClientInfo>> ListClientsAsync(string stream, CancellationToken cancellationToken = default);

    /// <summary>Stores a credential.</summary>
    ValueTask SaveCredentialAsync(Credential credential, CancellationToken cancellationToken = default);

    /// <summary>Finds a credential by the SHA-256 of its token, or null.</summary>
    ValueTask<Credential?> FindCredentialAsync(string tokenHash, CancellationToken cancellationToken = default);

    /// <summary>Writes the canonical export of a stream's current state to <paramref name="destination"/>.</summary>
    ValueTask ExportAsync(string stream, Stream destination, CancellationToken cancellationToken = default);

    /// <summary>Checks that the store answers.</summary>
    ValueTask<bool> PingAsync(CancellationToken cancellationToken = default);
}
