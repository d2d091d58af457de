using Converge.Client.Kernel;
using Converge.Client.Lifecycle;
using Converge.Testing;

namespace Converge.Client.Tests.Sync;

public sealed class BootstrapTests
{
    private const string Items = """{"item":{"fields":{"n":{"type":"long","counter":true},"label":{"type":"string"}}}}""";

    [Fact]
    public async Task ReplicaBelowTheHorizon_ReloadsFromTheSnapshot_KeepingAndRebasingItsPendingActions()
    {
        // One fake clock for the server and the replicas: replicas on the real clock would run ahead of the server's
        // stopped one by however long the test has taken, and past the 100 ms allowed drift on a slow machine.
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var world = await SyncWorld.StartAsync(o => o.ClientStaleAfter = TimeSpan.FromDays(1), serverTime: time);
        var active = await world.OpenAsync("active", configure: o => o.Time = time);
        var sleeper = await world.OpenAsync("sleeper", configure: o => o.Time = time);
        await active.DefineSchemaAsync(SyncWorld.Schema(Items));
        var counter = (await active.CreateAsync("item", Json.Parse("""{"n":0,"label":"counter"}"""))).Record!.Value;
        await active.SyncAsync();
        await sleeper.SyncAsync();

        // The sleeper goes offline with work of its own while the others move on and the server compacts.
        var mine = await sleeper.IncrementAsync("item", counter, "n", 5);
        var created = await sleeper.CreateAsync("item", Json.Parse("""{"label":"made offline"}"""));
        for (var i = 0; i < 10; i++)
        {
            await active.IncrementAsync("item", counter, "n", 1);
        }

        await active.SyncAsync();
        time.Advance(TimeSpan.FromDays(2));
        await active.SyncAsync();
        await world.Host.Maintenance.RunOnceAsync(forceSnapshot: true);
        (await world.Host.Store.ReadAsync(SyncWorld.Stream, 0, 1)).Horizon.ShouldBeGreaterThan(2);

        var report = await sleeper.SyncAsync();

        report.SnapshotIndex.ShouldNotBeNull();
        (await sleeper.GetActionStateAsync(mine.ActionId)).Status.ShouldBe(ActionStatus.Confirmed);
        (await sleeper.GetActionStateAsync(created.ActionId)).Status.ShouldBe(ActionStatus.Confirmed);
        var export = await world.ConvergeAsync(active, sleeper);
        export.ShouldContain("\"label\":\"counter\",\"n\":15");
        export.ShouldContain("made offline");
    }

    [Fact]
    public async Task NewReplica_LoadsTheSnapshotWithoutCopyingItThroughTheWal_AndEndsInWalMode()
    {
        await using var world = await SyncWorld.StartAsync();
        await SnapshotOfAsync(world, records: 3_000);
        var reader = await world.OpenAsync("reader");

        var report = await reader.SyncAsync();

        report.SnapshotIndex.ShouldNotBeNull();
        var file = world.Directory.File("reader.db");
        // In WAL mode the whole load went through the WAL, which keeps its size after the checkpoint.
        var wal = new FileInfo(file + "-wal");
        (wal.Exists ? wal.Length : 0).ShouldBeLessThan(new FileInfo(file).Length / 4);
        JournalModeOf(file).ShouldBe("wal");
        await world.ConvergeAsync(reader);
    }

    [Fact]
    public async Task NewReplica_WhileAnotherOpenerHoldsTheFile_LoadsTheSnapshotInWalMode()
    {
        await using var world = await SyncWorld.StartAsync();
        await SnapshotOfAsync(world, records: 2_000);
        var app = await world.OpenAsync("shared");
        var cli = await world.OpenAsync("shared"); // another opener of the same file: the journal mode cannot change

        var waited = System.Diagnostics.Stopwatch.StartNew();
        var report = await app.SyncAsync();

        // Refused at once, not after the 30 s busy timeout (nor failed with 'database is locked' after it). Waiting it
        // out takes 30 s at the very least, however fast the machine; the load itself may take a while on a busy one.
        waited.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(25));
        report.SnapshotIndex.ShouldNotBeNull();
        JournalModeOf(world.Directory.File("shared.db")).ShouldBe("wal");
        (await cli.QueryAsync("item")).Count.ShouldBe(2_000);
        await world.ConvergeAsync(app);
    }

    [Fact]
    public async Task BootstrapKilledMidLoad_LeavesAReplicaThatOpensAndBootstrapsAgain()
    {
        await using var world = await SyncWorld.StartAsync();
        await SnapshotOfAsync(world, records: 10_000);
        var crashed = world.Directory.File("crashed.db");
        var reader = await world.OpenAsync("reader", configure: o => o.TestHooks = new FaultHooks(point =>
        {
            if (point == ReplicaTestPoint.BootstrapLoaded)
            {
                // The files as a process killed here would leave them: half a load and its journal.
                var file = world.Directory.File("reader.db");
                foreach (var suffix in new[] { "", "-journal", "-wal" })
                {
                    if (File.Exists(file + suffix))
                    {
                        File.Copy(file + suffix, crashed + suffix);
                    }
                }

                throw new IOException("killed");
            }
        }));

        await Should.ThrowAsync<IOException>(() => reader.SyncAsync());

        File.Exists(crashed + "-journal").ShouldBeTrue();
        JournalModeOf(world.Directory.File("reader.db")).ShouldBe("wal");
        var restarted = await world.OpenAsync("crashed");
        (await restarted.GetStatusAsync()).Cursor.ShouldBe(0);
        (await restarted.SyncAsync()).SnapshotIndex.ShouldNotBeNull();
        JournalModeOf(crashed).ShouldBe("wal");
        await world.ConvergeAsync(restarted);
    }

    private static async Task SnapshotOfAsync(SyncWorld world, int records)
    {
        var writer = await world.OpenAsync("writer");
        await writer.DefineSchemaAsync(SyncWorld.Schema(Items));
        await writer.WriteBatchAsync(batch =>
        {
            for (var i = 0; i < records; i++)
            {
                batch.Create("item", Json.Parse($$"""{"label":"item {{i}} of a snapshot","n":{{i}}}"""));
            }
        });
        await writer.SyncAsync();
        await world.Host.Maintenance.RunOnceAsync(forceSnapshot: true);
    }

    private static string JournalModeOf(string file)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        return (string)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task SnapshotWithAWrongDigest_IsRefusedAndChangesNothing()
    {
        await using var world = await SyncWorld.StartAsync();
        var writer = await world.OpenAsync("writer");
        await writer.DefineSchemaAsync(SyncWorld.Schema(Items));
        await writer.SyncAsync();
        await world.Host.Maintenance.RunOnceAsync(forceSnapshot: true);
        var reader = await world.OpenAsync("reader", configure: o =>
            o.Transport = new TamperedSnapshotTransport(new Transport.HttpSyncTransport(new Transport.HttpSyncTransportOptions { Server = world.Host.BaseAddress, Stream = SyncWorld.Stream, Token = o.Token!, ClientId = Guid.CreateVersion7() })));

        var failure = await Should.ThrowAsync<Core.Errors.TransportException>(() => reader.SyncAsync());

        failure.Message.ShouldContain("digest");
        (await reader.GetStatusAsync()).Cursor.ShouldBe(0);
    }

    [Fact]
    public async Task SnapshotWithAWrongDigest_SnapshotMismatchNamingTheAnnouncedDigest()
    {
        await using var world = await SyncWorld.StartAsync();
        var writer = await world.OpenAsync("writer");
        await writer.DefineSchemaAsync(SyncWorld.Schema(Items));
        await writer.SyncAsync();
        await world.Host.Maintenance.RunOnceAsync(forceSnapshot: true);
        var reader = await world.OpenAsync("reader", configure: o =>
            o.Transport = new TamperedSnapshotTransport(new Transport.HttpSyncTransport(new Transport.HttpSyncTransportOptions { Server = world.Host.BaseAddress, Stream = SyncWorld.Stream, Token = o.Token!, ClientId = Guid.CreateVersion7() })));

        var failure = await Should.ThrowAsync<Core.Errors.SnapshotMismatchException>(() => reader.SyncAsync());

        failure.Digest.ShouldBe(new string('0', 64));
        failure.Operation.ShouldBe("snapshot");
        (await reader.GetStatusAsync()).Cursor.ShouldBe(0);
    }

    private sealed class TamperedSnapshotTransport(Transport.ISyncTransport inner) : Transport.ISyncTransport
    {
        public Task<Transport.Exchange<Transport.PullOutcome>> PullAsync(long after, int limit, CancellationToken cancellationToken = default) => inner.PullAsync(after, limit, cancellationToken);

        public Task<Transport.Exchange<Core.Protocol.PushResponse>> PushAsync(Core.Protocol.PushRequest request, CancellationToken cancellationToken = default) => inner.PushAsync(request, cancellationToken);

        public async Task<Transport.Exchange<Core.Protocol.SnapshotInfo?>> GetSnapshotAsync(CancellationToken cancellationToken = default)
        {
            var info = await inner.GetSnapshotAsync(cancellationToken);
            return info with { Value = info.Value is { } v ? new Core.Protocol.SnapshotInfo { Index = v.Index, Href = v.Href, Digest = new string('0', 64) } : null };
        }

        public Task<Stream> OpenSnapshotAsync(Core.Protocol.SnapshotInfo snapshot, CancellationToken cancellationToken = default) => inner.OpenSnapshotAsync(snapshot, cancellationToken);

        public IAsyncEnumerable<long> WatchAsync(CancellationToken cancellationToken = default) => inner.WatchAsync(cancellationToken);
    }
}
