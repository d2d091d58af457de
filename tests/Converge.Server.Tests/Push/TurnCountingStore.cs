using System.Collections.Concurrent;
using Converge.Core.Actions;
using Converge.Core.Merge;
using Converge.Server.Storage;

namespace Converge.Server.Tests.Push;

/// <summary>A store that counts the write sessions begun per stream, and says for each that others wait or not, as told.</summary>
internal sealed class TurnCountingStore(IConvergeStore inner, bool othersWaiting) : IConvergeStore
{
    public ConcurrentDictionary<string, int> Sessions { get; } = new(StringComparer.Ordinal);

    public async ValueTask<IStreamWriteSession> BeginWriteAsync(string stream, CancellationToken cancellationToken = default)
    {
        Sessions.AddOrUpdate(stream, 1, (_, n) => n + 1);
        return new Session(await inner.BeginWriteAsync(stream, cancellationToken), othersWaiting);
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

    private sealed class Session(IStreamWriteSession inner, bool othersWaiting) : IStreamWriteSession
    {
        public string Stream => inner.Stream;

        public long Head => inner.Head;

        public IRecordState State => inner.State;

        public bool OthersWaiting => othersWaiting;

        public ValueTask PrefetchAsync(IReadOnlyList<ConvergeAction> actions, CancellationToken cancellationToken = default) => inner.PrefetchAsync(actions, cancellationToken);

        public AcceptedAction? FindAccepted(Guid actionId) => inner.FindAccepted(actionId);

        public RefusedAction? FindRefused(Guid actionId) => inner.FindRefused(actionId);

        public void Refuse(Guid actionId, RefusedAction refusal) => inner.Refuse(actionId, refusal);

        public void Append(StoredAction action, ReadOnlyMemory<byte> bodyHash) => inner.Append(action, bodyHash);

        public ValueTask CommitAsync(CancellationToken cancellationToken = default) => inner.CommitAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
