using Converge.Core.Errors;
using Converge.Core.Protocol;

namespace Converge.Client.Transport;

/// <summary>
/// How a replica talks to its server. The HTTP transport speaks the wire protocol; a simulated one drives the
/// same sync engine in tests. Answers are values; failures throw a <see cref="TransportException"/>: a
/// <see cref="ServerUnreachableException"/> when there was no usable answer (retried as sent), a
/// <see cref="ServerRefusedException"/> with the problem's status and code when the server refused the request, a
/// <see cref="ServerProtocolException"/> when the answer is not the protocol.
/// </summary>
public interface ISyncTransport
{
    /// <summary>Pulls the log after a cursor.</summary>
    Task<Exchange<PullOutcome>> PullAsync(long after, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pulls the log after a cursor into envelopes. A transport that reads the body itself keeps the server's bytes
    /// (<see cref="PullResponseReader"/>); any other goes through <see cref="PullAsync"/>, its actions encoded here.
    /// </summary>
    /// <exception cref="ServerProtocolException">The server sent an action this client cannot read.</exception>
    internal async Task<Exchange<PullOutcome>> PullPageAsync(long after, int limit, CancellationToken cancellationToken = default)
    {
        var pulled = await PullAsync(after, limit, cancellationToken).ConfigureAwait(false);
        return pulled.Value is { Status: PullStatus.Ok, Page: null, Response: { } response } outcome
            ? pulled with { Value = PullOutcome.Ok(PulledPages.Of(response)) with { Principal = outcome.Principal } }
            : pulled;
    }

    /// <summary>Pushes a batch of actions.</summary>
    Task<Exchange<PushResponse>> PushAsync(PushRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pushes a batch of actions in their envelopes. A transport that writes the body itself sends each envelope's bytes as
    /// they are (<see cref="PushRequestWriter"/>); any other goes through <see cref="PushAsync(PushRequest, CancellationToken)"/>.
    /// </summary>
    internal Task<Exchange<PushResponse>> PushEnvelopesAsync(Guid clientId, IReadOnlyList<ActionEnvelope> actions, CancellationToken cancellationToken = default) =>
        PushAsync(new PushRequest { ClientId = clientId.ToString("D"), Actions = [.. actions.Select(e => ActionCodec.Encode(e.Action))] }, cancellationToken);

    /// <summary>Where the latest snapshot is, or null when the stream has none.</summary>
    Task<Exchange<SnapshotInfo?>> GetSnapshotAsync(CancellationToken cancellationToken = default);

    /// <summary>The limits the server holds pushes to, or null when it does not say (a server from before <c>GET .../limits</c>).</summary>
    Task<ServerLimits?> GetLimitsAsync(CancellationToken cancellationToken = default) => Task.FromResult<ServerLimits?>(null);

    /// <summary>Opens a snapshot body (gzip) for reading.</summary>
    Task<Stream> OpenSnapshotAsync(SnapshotInfo snapshot, CancellationToken cancellationToken = default);

    /// <summary>Every head the server announces, until cancelled or the connection drops (then it throws <see cref="ServerUnreachableException"/>).</summary>
    IAsyncEnumerable<long> WatchAsync(CancellationToken cancellationToken = default);
}
