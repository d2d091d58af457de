using Converge.Client.Lifecycle;
using Converge.Server.Auth;
using Converge.Server.Sqlite;
using Converge.Testing;

namespace Converge.Client.Tests.Sync;

/// <summary>
/// The sync loop of docs/client.md, on a fake clock: at once while actions move, 5 s back-off after failures, woken when idle.
/// The tests move the clock only once the loop waits on it (its timer is pending), never after a real sleep.
/// </summary>
public sealed class SyncLoopTests
{
    private const string People = """{"person":{"fields":{"name":{"type":"string"}}}}""";
    private static readonly TimeSpan Idle = new ReplicaOptions().IdleInterval;

    [Fact]
    public async Task Loop_SyncsAtOnceWhileThereIsWork_AndALocalWriteWakesItWhenIdle()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one", configure: o => o.Time = time);
        await replica.DefineSchemaAsync(SyncWorld.Schema(People));
        var first = await replica.CreateAsync("person", Json.Parse("""{"name":"a"}"""));

        replica.StartSync();
        (await replica.WaitForConfirmationAsync(first.ActionId).WaitAsync(Eventually.Timeout)).Status.ShouldBe(ActionStatus.Confirmed);
        await IdleAsync(time, "the loop to wait idle on the fake clock");

        // The fake clock never moves: only the write's wake-up can end the idle wait.
        var second = await replica.CreateAsync("person", Json.Parse("""{"name":"b"}"""));
        (await replica.WaitForConfirmationAsync(second.ActionId).WaitAsync(Eventually.Timeout)).Status.ShouldBe(ActionStatus.Confirmed);
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
        var firstWait = await BackOffAsync(time, () => Volatile.Read(ref failures), 1);
        firstWait.ShouldBeInRange(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6), "5 s, give or take 20 % jitter");
        time.Advance(TimeSpan.FromSeconds(3.9));
        time.PendingDelays.ShouldBe([firstWait - TimeSpan.FromSeconds(3.9)], "the back-off has not ended yet");
        Volatile.Read(ref failures).ShouldBe(1);
        time.Advance(TimeSpan.FromSeconds(2.2));

        var secondWait = await BackOffAsync(time, () => Volatile.Read(ref failures), 2);
        secondWait.ShouldBeInRange(TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(12), "doubled to 10 s, give or take 20 % jitter");
        time.Advance(TimeSpan.FromSeconds(7.9));
        time.PendingDelays.ShouldBe([secondWait - TimeSpan.FromSeconds(7.9)], "the back-off has not ended yet");
        Volatile.Read(ref failures).ShouldBe(2);
        time.Advance(TimeSpan.FromSeconds(4.2));

        await BackOffAsync(time, () => Volatile.Read(ref failures), 3);
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
        await Eventually.UntilAsync(async () => (await watcher.GetStatusAsync()).Cursor == 1, "the watcher's first sync");
        await IdleAsync(time, "the watcher's loop to wait idle on the fake clock");

        await writer.CreateAsync("person", Json.Parse("""{"name":"news"}"""));
        await writer.SyncAsync();

        // The fake clock never moves: only the server's notification can end the idle wait.
        await Eventually.UntilAsync(async () => (await watcher.GetStatusAsync()).Cursor == 2, "the notified watcher to pull the news");
        await watcher.StopSyncAsync();
    }

    [Fact]
    public async Task Loop_WatchedServerGoesAway_SyncsAtOnceAndReportsTheFailure()
    {
        // On a fake clock the idle wait never ends: only the dropped watch connection can start the failing sync. The
        // server is a process killed with SIGKILL, gone at once as in a crash: an in-process host stopped even with a
        // cancelled token closes its watch sockets first and still answers the sync that starts (seen on a loaded
        // machine: that sync succeeded, and nothing woke the loop again).
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        using var directory = new TempDirectory();
        var database = directory.File("server.db");
        string token;
        using (var store = new SqliteConvergeStore(database))
        {
            token = await ConvergeCredentials.CreateAsync(store, "alice", ["team"], TimeProvider.System);
        }

        using var server = await ServerProcess.StartAsync(database);
        await using var writer = Replica.Open(new ReplicaOptions { Path = directory.File("writer.db"), Server = server.BaseAddress, Stream = "team", Token = token, Watch = false });
        await writer.DefineSchemaAsync(SyncWorld.Schema(People));
        await writer.SyncAsync();
        await using var watcher = Replica.Open(new ReplicaOptions { Path = directory.File("watcher.db"), Server = server.BaseAddress, Stream = "team", Token = token, Time = time, Watch = true });
        var failures = 0;
        watcher.SyncFailed += (_, _) => Interlocked.Increment(ref failures);
        watcher.StartSync();
        await Eventually.UntilAsync(async () => (await watcher.GetStatusAsync()).Cursor == 1, "the watcher's first sync");
        await IdleAsync(time, "the watcher's loop to wait idle on the fake clock");

        // Pulled while idle, the news proves the watch connection is up (only its notification could wake the loop).
        await writer.CreateAsync("person", Json.Parse("""{"name":"news"}"""));
        await writer.SyncAsync();
        await Eventually.UntilAsync(async () => (await watcher.GetStatusAsync()).Cursor == 2, "the notified watcher to pull the news");
        await IdleAsync(time, "the watcher's loop to wait idle again");

        server.Kill();

        await Eventually.UntilAsync(() => Volatile.Read(ref failures) >= 1, "the failing sync the dropped watch started");
        (await watcher.GetStatusAsync()).LastError.ShouldNotBeNull();
        await watcher.StopSyncAsync();
    }

    /// <summary>
    /// Waits until the loop waits idle (a timer due the idle interval from now), then moves the clock on by a second
    /// (nothing is due): a woken wait leaves its timer pending, and the shift tells a later idle wait from this one.
    /// </summary>
    private static async Task IdleAsync(FakeTimeProvider time, string what)
    {
        await Eventually.UntilAsync(() => time.PendingDelays.Contains(Idle), what);
        time.Advance(TimeSpan.FromSeconds(1));
    }

    /// <summary>Waits for the loop's <paramref name="failure"/>th failure and its back-off timer; returns how long that is.</summary>
    private static async Task<TimeSpan> BackOffAsync(FakeTimeProvider time, Func<int> failures, int failure)
    {
        await Eventually.UntilAsync(() => failures() == failure && time.PendingDelays.Count == 1, $"failure {failure} and the loop's back-off wait");
        return time.PendingDelays.ShouldHaveSingleItem();
    }
}
