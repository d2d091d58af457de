using Converge.Client.Transport;
using Converge.Core.Errors;
using Converge.Core.Protocol;

namespace Converge.Client.Tests;

/// <summary>Wraps a transport; can lose the next push's reply after the server committed it.</summary>
internal sealed class LossyTransport(ISyncTransport inner) : ISyncTransport, IDisposable
{
    public int LoseNextPushReplies { get; set; }

    /// <summary>Answers the next pulls with no actions (a pull that raced ahead of the push it should have seen).</summary>
    public int EmptyNextPulls { get; set; }

    public async Task<Exchange<PullOutcome>> PullAsync(long after, int limit, CancellationToken cancellationToken = default)
    {
        var pulled = await inner.PullAsync(after, limit, cancellationToken);
        if (EmptyNextPulls > 0 && pulled.Value.Response is { } response)
        {
            EmptyNextPulls--;
            return pulled with { Value = PullOutcome.Ok(new PullResponse { Actions = [], Head = after, ServerTime = response.ServerTime }) };
        }

        return pulled;
    }

    public async Task<Exchange<PushResponse>> PushAsync(PushRequest request, CancellationToken cancellationToken = default)
    {
        var reply = await inner.PushAsync(request, cancellationToken);
        if (LoseNextPushReplies > 0)
        {
            LoseNextPushReplies--;
            throw new ServerUnreachableException("The connection dropped before the reply arrived (simulated).");
        }

        return reply;
    }

    public Task<Exchange<SnapshotInfo?>> GetSnapshotAsync(CancellationToken cancellationToken = default) => inner.GetSnapshotAsync(cancellationToken);

    public Task<Stream> OpenSnapshotAsync(SnapshotInfo snapshot, CancellationToken cancellationToken = default) => inner.OpenSnapshotAsync(snapshot, cancellationToken);

    public IAsyncEnumerable<long> WatchAsync(CancellationToken cancellationToken = default) => inner.WatchAsync(cancellationToken);

    public void Dispose() => (inner as IDisposable)?.Dispose();
}
