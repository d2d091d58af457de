using Converge.Client.Transport;
using Converge.Core.Errors;
using Converge.Testing;

namespace Converge.Client.Tests.Sync;

/// <summary>
/// A 400 <c>invalid_body</c> or a 408 <c>request_timeout</c> says the bytes were damaged or slow on the way, not that
/// the push is bad: the client retries the same actions and rejects none of them.
/// </summary>
public sealed class DamagedPushTests
{
    private const string People = """{"person":{"fields":{"name":{"type":"string"}}}}""";

    [Theory]
    [InlineData(400, "invalid_body")]
    [InlineData(408, "request_timeout")]
    public async Task Push_RefusedForItsBytesOnTheWay_IsRetried_NotRejected(int status, string code)
    {
        await using var world = await SyncWorld.StartAsync();
        DamagingTransport? damaging = null;
        var replica = await world.OpenAsync("a", configure: o =>
        {
            damaging = new DamagingTransport(new HttpSyncTransport(new HttpSyncTransportOptions { Server = world.Host.BaseAddress, Stream = SyncWorld.Stream, Token = o.Token!, ClientId = Guid.CreateVersion7() }), status, code);
            o.Transport = damaging;
        });
        await replica.DefineSchemaAsync(SyncWorld.Schema(People));
        var write = await replica.CreateAsync("person", Json.Parse("""{"name":"Ann"}"""));

        await Should.ThrowAsync<TransportException>(() => replica.SyncStepAsync());
        await replica.SyncAsync();

        damaging!.Damaged.ShouldBe(1);
        (await replica.GetRejectionsAsync()).ShouldBeEmpty();
        (await replica.GetStatusAsync()).Pending.ShouldBe(0);
        (await world.ServerExportAsync()).ShouldContain(write.Record!.Value.ToString());
    }

    /// <summary>Answers the first push as the server does when its body arrived broken, without sending it.</summary>
    private sealed class DamagingTransport(ISyncTransport inner, int status, string code) : ISyncTransport
    {
        private int _pushes;

        public int Damaged { get; private set; }

        public Task<Exchange<PullOutcome>> PullAsync(long after, int limit, CancellationToken cancellationToken = default) => inner.PullAsync(after, limit, cancellationToken);

        public Task<Exchange<Core.Protocol.PushResponse>> PushAsync(Core.Protocol.PushRequest request, CancellationToken cancellationToken = default)
        {
            if (_pushes++ == 0)
            {
                Damaged++;
                throw new ServerUnreachableException($"The server answered {status} {code} (simulated).") { StatusCode = status, Code = code };
            }

            return inner.PushAsync(request, cancellationToken);
        }

        public Task<Exchange<Core.Protocol.SnapshotInfo?>> GetSnapshotAsync(CancellationToken cancellationToken = default) => inner.GetSnapshotAsync(cancellationToken);

        public Task<Stream> OpenSnapshotAsync(Core.Protocol.SnapshotInfo snapshot, CancellationToken cancellationToken = default) => inner.OpenSnapshotAsync(snapshot, cancellationToken);

        public IAsyncEnumerable<long> WatchAsync(CancellationToken cancellationToken = default) => inner.WatchAsync(cancellationToken);
    }
}
