using Converge.Server.Storage;

namespace Converge.Simulation.Tests;

/// <summary>
/// The store, with a bug that can be planted: while <paramref name="planted"/> says so, a write session's commit does
/// nothing, so a push is answered as accepted and rolled back (<see cref="PlantedBugTests"/>).
/// </summary>
internal sealed class NonPersistingStore(IConvergeStore inner, Func<bool> planted) : IConvergeStore
{
    public async ValueTask<IStreamWriteSession> BeginWriteAsync(string stream, CancellationToken cancellationToken = default)
    {
        var session = await inner.BeginWriteAsync(stream, cancellationToken);
        return planted() ? new NonPersistingSession(session) : session;
    }

    public ValueTask<LogPage> ReadAsync(string stream, long after, int limit, CancellationToken cancellationToken = default) => inner.ReadAsync(stream, after, limit, cancellationToken);

    public ValueTask<IReadOnlyList<string>> ListStreamsAsync(CancellationToken cancellationToken = default) => inner.ListStreamsAsync(cancellationToken);

    public ValueTask<SnapshotRecord?> CreateSnapshotAsync(string stream, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.CreateSnapshotAsync(stream, now, cancellationToken);

    public ValueTask<SnapshotRecord?> GetLatestSnapshotAsync(string stream, CancellationToken cancellationToken = default) => inner.GetLatestSnapshotAsync(stream, cancellationToken);

    public ValueTask<Stream?> OpenSnapshotAsync(string stream, string digest, CancellationToken cancellationToken = default) => inner.OpenSnapshotAsync(stream, digest, cancellationToken);

    public ValueTask<long> CompactAsync(string stream, long upTo, CancellationToken cancellationToken = default) => inner.CompactAsync(stream, upTo, cancellationToken);

    public ValueTask TouchClientAsync(ClientVisit visit, CancellationToken cancellationToken = default) => inner.TouchClientAsync(visit, cancellationToken);

    public ValueTask<string> BindClientAsync(string stream, Guid clientId, string principal, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.BindClientAsync(stream, clientId, principal, now, cancellationToken);

    public ValueTask<IReadOnlyList<ClientInfo>> ListClientsAsync(string stream, CancellationToken cancellationToken = default) => inner.ListClientsAsync(stream, cancellationToken);

    public ValueTask SaveCredentialAsync(Credential credential, CancellationToken cancellationToken = default) => inner.SaveCredentialAsync(credential, cancellationToken);

    public ValueTask<Credential?> FindCredentialAsync(string tokenHash, CancellationToken cancellationToken = default) => inner.FindCredentialAsync(tokenHash, cancellationToken);

    public ValueTask ExportAsync(string stream, Stream destination, CancellationToken cancellationToken = default) => inner.ExportAsync(stream, destination, cancellationToken);

    public ValueTask<bool> PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
}
