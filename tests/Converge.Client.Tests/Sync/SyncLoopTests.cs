using Converge.Client.Lifecycle;
using Converge.Testing;

namespace Converge.Client.Tests.Sync;

/// <summary>The loop of SPEC section 4, on a fake clock: at once while actions move, 5 s back-off after failures, woken when idle.</summary>
public sealed class SyncLoopTests
{
    private const string People = """{"person":{"fields":{"name":{"type":"string"}}}}""";

    [Fact]
    public async Task Loop_SyncsAtOnceWhileThereIsWork_AndALocalWriteWakesItWhenIdle()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one", configure: o => o.Time = time);
        await replica.DefineSchemaAsync(SyncWorld.Schema(People));
        var first = await replica.CreateAsync("person", Json.Parse("""{"name":"a"}"""));

        replica.StartSync();
        (await replica.WaitForConfirmationAsync(first.ActionId).WaitAsync(TimeSpan.FromSeconds(10))).Status.ShouldBe(ActionStatus.Confirmed);
        await Task.Delay(200);

        var second = await replica.CreateAsync("person", Json.Parse("""{"name":"b"}"""));
        (await replica.WaitForConfirmationAsync(second.ActionId).WaitAsync(TimeSpan.FromSeconds(10))).Status.ShouldBe(ActionStatus.Confirmed);
        await replica.StopSyncAsync();
    }

    [Fact]
    public async Task Loop_AfterNetworkFailures_BacksOffFromFiveSecondsDoubling()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("offline", configure: o =>
        {
            o.Time = time;
            o.Server = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
            o.JitterSeed = 1;
        });
        var failures = 0;
        replica.SyncFailed += (_, _) => Interlocked.Increment(ref failures);

        replica.StartSync();
        await WaitUntilAsync(() => Volatile.Read(ref failures) == 1);
        time.Advance(TimeSpan.FromSeconds(3.9));
        await Task.Delay(300);
        Volatile.Read(ref failures).ShouldBe(1);
        time.Advance(TimeSpan.FromSeconds(2.2));
        await WaitUntilAsync(() => Volatile.Read(ref failures) == 2);
        time.Advance(TimeSpan.FromSeconds(7.9));
        await Task.Delay(300);
        Volatile.Read(ref failures).ShouldBe(2);
        time.Advance(TimeSpan.FromSeconds(4.2));
        await WaitUntilAsync(() => Volatile.Read(ref failures) == 3);
        await replica.StopSyncAsync();
        (await replica.GetStatusAsync()).LastError.ShouldNotBeNull();
    }

    [Fact]
    public async Task Loop_IdleReplica_IsWokenByTheServersNotification()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var world = await SyncWorld.StartAsync();
        var writer = await world.OpenAsync("writer");
        await writer.DefineSchemaAsync(SyncWorld.Schema(People));
        await writer.SyncAsync();
        var watcher = await world.OpenAsync("watcher", configure: o =>
        {
            o.Time = time;
            o.Watch = true;
        });
        watcher.StartSync();
        await WaitUntilAsync(async () => (await watcher.GetStatusAsync()).Cursor == 1);
        await Task.Delay(300);

        await writer.CreateAsync("person", Json.Parse("""{"name":"news"}"""));
        await writer.SyncAsync();

        await WaitUntilAsync(async () => (await watcher.GetStatusAsync()).Cursor == 2);
        await watcher.StopSyncAsync();
    }

    [Fact]
    public async Task Loop_WatchedServerGoesAway_SyncsAtOnceAndReportsTheFailure()
    {
        // On a fake clock the idle wait never ends: only the dropped watch connection can start the failing sync.
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        using var directory = new TempDirectory();
        var host = await ServerHost.StartAsync();
        await using var writer = Replica.Open(new ReplicaOptions { Path = directory.File("writer.db"), Server = host.BaseAddress, Stream = "team", Token = await host.TokenAsync("alice", "team"), Watch = false });
        await writer.DefineSchemaAsync(SyncWorld.Schema(People));
        await writer.SyncAsync();
        await using var watcher = Replica.Open(new ReplicaOptions { Path = directory.File("watcher.db"), Server = host.BaseAddress, Stream = "team", Token = await host.TokenAsync("alice", "team"), Time = time, Watch = true });
        var failures = 0;
        watcher.SyncFailed += (_, _) => Interlocked.Increment(ref failures);
        watcher.StartSync();
        await WaitUntilAsync(async () => (await watcher.GetStatusAsync()).Cursor == 1);
        await writer.CreateAsync("person", Json.Parse("""{"name":"news"}"""));
        await writer.SyncAsync();
        await WaitUntilAsync(async () => (await watcher.GetStatusAsync()).Cursor == 2);

        // A cancelled stop aborts the connections at once, as a crash or a restart would.
        await host.App.StopAsync(new CancellationToken(canceled: true));
        await host.DisposeAsync();

        await WaitUntilAsync(() => Volatile.Read(ref failures) >= 1);
        (await watcher.GetStatusAsync()).LastError.ShouldNotBeNull();
        await watcher.StopSyncAsync();
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            waited.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15), "the condition never held");
            await Task.Delay(20);
        }
    }
}
