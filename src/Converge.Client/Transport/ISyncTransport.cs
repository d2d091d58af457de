using Converge.Core.Protocol;

namespace Converge.Client.Transport;

/// <summary>
/// How a replica talks to its server. The HTTP transport speaks the wire protocol; a simulated one drives the
/// same sync engine in tests. Network failures throw <see cref="TransportException"/>; answers are values.
/// </summary>
public interface ISyncTransport
{
    /// <summary>Pulls the log after a cursor.</summary>
    Task<Exchange<PullOutcome>> PullAsync(long after, int limit, CancellationToken cancellationToken = default);

    /// <summary>Pushes a batch of actions.</summary>
    Task<Exchange<PushResponse>> PushAsync(PushRequest request, CancellationToken cancellationToken = default);

    /// <summary>Where the latest snapshot is, or null when the stream has none.</summary>
    Task<Exchange<SnapshotInfo?>> GetSnapshotAsync(CancellationToken cancellationToken = default);

    /// <summary>The limits the server holds pushes to, or null when it does not say (a server from before <c>GET .../limits</c>).</summary>
    Task<ServerLimits?> GetLimitsAsync(CancellationToken cancellationToken = default) => Task.FromResult<ServerLimits?>(null);

    /// <summary>Opens a snapshot body (gzip) for reading.</summary>
    Task<Stream> OpenSnapshotAsync(SnapshotInfo snapshot, CancellationToken cancellationToken = default);

    /// <summary>Every head the server announces, until cancelled or the connection drops (then it throws <see cref="TransportException"/>).</summary>
    IAsyncEnumerable<long> WatchAsync(CancellationToken cancellationToken = default);
}
