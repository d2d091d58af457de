using Converge.Client.Lifecycle;
using Converge.Client.Transport;
using Converge.Core.Errors;
using Converge.Core.Protocol;
using Converge.Server.Auth;
using Converge.Testing;

namespace Converge.Client.Tests.Regressions;

/// <summary>
/// A server restored from an older backup answers <c>cursor_ahead</c>: the replica reloads and loses nothing of its own,
/// and pushes again only what its own principal wrote through its own client id.
/// </summary>
public sealed class ServerRestoreTests
{
    private const string Notes = """{"note":{"fields":{"text":{"type":"string"}}}}""";

    [Fact]
    public async Task ServerRestoredFromAnOlderBackup_ReplicaRequeuesWhatTheServerLost()
    {
        using var directory = new TempDirectory();
        var database = directory.File("server.db");
        var backup = directory.File("backup.db");
        string token;
        var urls = $"http://127.0.0.1:{FreePort.Next()}";
        var host = await ServerHost.StartAsync(databasePath: database, urls: urls);
        token = await ConvergeCredentials.CreateAsync(host.Store, "alice", ["s"], TimeProvider.System);
        var replica = Replica.Open(new ReplicaOptions { Path = directory.File("replica.db"), Server = host.BaseAddress, Stream = "s", Token = token, Watch = false });
        await replica.DefineSchemaAsync(SyncWorld.Schema(Notes));
        var early = await replica.CreateAsync("note", Json.Parse("""{"text":"before the backup"}"""));
        await replica.SyncAsync();
        await host.DisposeAsync();
        File.Copy(database, backup);
        host = await ServerHost.StartAsync(databasePath: database, urls: urls);
        var late = await replica.CreateAsync("note", Json.Parse("""{"text":"after the backup"}"""));
        await replica.SyncAsync();
        (await replica.GetActionStateAsync(late.ActionId)).Status.ShouldBe(ActionStatus.Confirmed);
        await host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(database + suffix);
        }

        File.Copy(backup, database);
        await using (host = await ServerHost.StartAsync(databasePath: database, urls: urls))
        {
            await replica.SyncAsync();
            await replica.SyncAsync();

            using var buffer = new MemoryStream();
            await host.Store.ExportAsync("s", buffer);
            var server = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
            server.ShouldContain("before the backup");
            server.ShouldContain("after the backup");
            (await replica.ExportAsync()).ShouldBe(server);
            (await replica.GetActionStateAsync(early.ActionId)).Status.ShouldBe(ActionStatus.Confirmed);
            (await replica.GetStatusAsync()).Pending.ShouldBe(0);
        }

        await replica.DisposeAsync();
    }

    [Fact]
    public async Task ServerRestored_LogHoldsAnotherPrincipalsActionUnderThisClientId_ReplicaRequeuesOnlyItsOwn()
    {
        using var directory = new TempDirectory();
        var urls = $"http://127.0.0.1:{FreePort.Next()}";
        var (database, host, tokens) = await StartWithBackupAsync(directory, urls, "alice", "mallory");
        var path = directory.File("replica.db");
        Guid clientId;
        await using (var created = Replica.Open(new ReplicaOptions { Path = path, Server = host.BaseAddress, Stream = "s", Token = tokens[0], Watch = false }))
        {
            clientId = created.ClientId;
        }

        // As a server before client ids were bound let it happen: mallory's action is logged under this replica's id.
        using var transport = new ForeignUnderOwnIdTransport(new HttpSyncTransport(new HttpSyncTransportOptions { Server = host.BaseAddress, Stream = "s", Token = tokens[0], ClientId = clientId }), clientId);
        var replica = Replica.Open(new ReplicaOptions { Path = path, Stream = "s", Watch = false, Transport = transport });
        var schema = await replica.DefineSchemaAsync(SyncWorld.Schema(Notes));
        var own = await replica.CreateAsync("note", Json.Parse("""{"text":"alice's"}"""));
        await replica.SyncAsync();
        LocalWrite foreign;
        await using (var mallory = Replica.Open(new ReplicaOptions { Path = directory.File("mallory.db"), Server = host.BaseAddress, Stream = "s", Token = tokens[1], Watch = false }))
        {
            await mallory.SyncAsync();
            foreign = await mallory.CreateAsync("note", Json.Parse("""{"text":"mallory's"}"""));
            await mallory.SyncAsync();
        }

        await replica.SyncAsync();
        transport.Rewritten.ShouldBe(1);
        await host.DisposeAsync();
        host = await RestoreAsync(directory, database, urls);
        await using (host)
        {
            await replica.SyncAsync();
            await replica.SyncAsync();

            var logged = (await host.Store.ReadAsync("s", 0, 100)).Actions;
            logged.ShouldNotContain(a => a.ActionId == foreign.ActionId);
            logged.Select(a => a.ActionId).ShouldBe([schema.ActionId, own.ActionId]);
            (await replica.GetStatusAsync()).Pending.ShouldBe(0);
        }

        await replica.DisposeAsync();
    }

    [Fact]
    public async Task ServerRestored_ReplicaFileReopenedWithAnotherPrincipalsToken_PushesNothingTheFormerPrincipalWrote()
    {
        using var directory = new TempDirectory();
        var urls = $"http://127.0.0.1:{FreePort.Next()}";
        var (database, host, tokens) = await StartWithBackupAsync(directory, urls, "alice", "bob");
        var path = directory.File("replica.db");
        Guid clientId;
        await using (var alice = Replica.Open(new ReplicaOptions { Path = path, Server = host.BaseAddress, Stream = "s", Token = tokens[0], Watch = false }))
        {
            clientId = alice.ClientId;
            await alice.DefineSchemaAsync(SyncWorld.Schema(Notes));
            await alice.CreateAsync("note", Json.Parse("""{"text":"alice's"}"""));
            await alice.SyncAsync();
            (await alice.GetStatusAsync()).Pending.ShouldBe(0);
        }

        await host.DisposeAsync();
        host = await RestoreAsync(directory, database, urls);
        await using (host)
        {
            // Bob's token on alice's file: the restored server does not know the id, so it is bob's now, but not alice's actions.
            await using var bob = Replica.Open(new ReplicaOptions { Path = path, Token = tokens[1], Watch = false });
            await bob.SyncAsync();
            await bob.SyncAsync();

            (await host.Store.ReadAsync("s", 0, 100)).Actions.ShouldBeEmpty();
            (await bob.GetStatusAsync()).Pending.ShouldBe(0);
            bob.ClientId.ShouldBe(clientId);
        }
    }

    [Fact]
    public async Task ServerRestored_ReplicaFileReopenedWithASecondTokenOfTheSamePrincipal_RequeuesWhatTheServerLost()
    {
        using var directory = new TempDirectory();
        var urls = $"http://127.0.0.1:{FreePort.Next()}";
        var (database, host, tokens) = await StartWithBackupAsync(directory, urls, "alice", "alice");
        var path = directory.File("replica.db");
        LocalWrite note;
        await using (var alice = Replica.Open(new ReplicaOptions { Path = path, Server = host.BaseAddress, Stream = "s", Token = tokens[0], Watch = false }))
        {
            await alice.DefineSchemaAsync(SyncWorld.Schema(Notes));
            note = await alice.CreateAsync("note", Json.Parse("""{"text":"alice's"}"""));
            await alice.SyncAsync();
            (await alice.GetActionStateAsync(note.ActionId)).Status.ShouldBe(ActionStatus.Confirmed);
        }

        await host.DisposeAsync();
        host = await RestoreAsync(directory, database, urls);
        await using (host)
        {
            // A rotated token of the same principal: the first answer of the step is the pull's cursor_ahead, before any push.
            await using var again = Replica.Open(new ReplicaOptions { Path = path, Token = tokens[1], Watch = false });
            await again.SyncAsync();
            await again.SyncAsync();

            (await host.Store.ReadAsync("s", 0, 100)).Actions.Select(a => a.ActionId).ShouldContain(note.ActionId);
            (await again.GetAsync("note", note.Record!.Value)).ShouldNotBeNull();
            (await again.GetActionStateAsync(note.ActionId)).Status.ShouldBe(ActionStatus.Confirmed);
            (await again.GetStatusAsync()).Principal.ShouldBe("alice");
        }
    }

    [Fact]
    public async Task ServerRestored_PrincipalNotKnown_StepFailsAndChangesNothing_ThenRequeuesOnceTheServerNamesIt()
    {
        using var directory = new TempDirectory();
        var urls = $"http://127.0.0.1:{FreePort.Next()}";
        var (database, host, tokens) = await StartWithBackupAsync(directory, urls, "alice", "alice");
        var path = directory.File("replica.db");
        Guid clientId;
        LocalWrite note;
        await using (var alice = Replica.Open(new ReplicaOptions { Path = path, Server = host.BaseAddress, Stream = "s", Token = tokens[0], Watch = false }))
        {
            clientId = alice.ClientId;
            await alice.DefineSchemaAsync(SyncWorld.Schema(Notes));
            note = await alice.CreateAsync("note", Json.Parse("""{"text":"alice's"}"""));
            await alice.SyncAsync();
        }

        await host.DisposeAsync();
        host = await RestoreAsync(directory, database, urls);
        await using (host)
        {
            string before;
            // A server that names no principal on pulls: after the new token, the replica cannot know whose its actions are.
            using (var anonymous = new NoPrincipalTransport(new HttpSyncTransport(new HttpSyncTransportOptions { Server = host.BaseAddress, Stream = "s", Token = tokens[1], ClientId = clientId })))
            {
                await using var blind = Replica.Open(new ReplicaOptions { Path = path, Token = tokens[1], Watch = false, Transport = anonymous });
                before = await blind.ExportAsync();
                var cursor = (await blind.GetStatusAsync()).Cursor;

                var error = await Should.ThrowAsync<TransportException>(() => blind.SyncStepAsync());

                error.Message.ShouldContain("principal");
                (await blind.ExportAsync()).ShouldBe(before);
                (await blind.GetStatusAsync()).Cursor.ShouldBe(cursor);
                (await blind.GetActionStateAsync(note.ActionId)).Status.ShouldBe(ActionStatus.Confirmed);
                (await host.Store.ReadAsync("s", 0, 100)).Actions.ShouldBeEmpty();
            }

            await using var named = Replica.Open(new ReplicaOptions { Path = path, Server = host.BaseAddress, Token = tokens[1], Watch = false });
            await named.SyncAsync();
            await named.SyncAsync();

            (await host.Store.ReadAsync("s", 0, 100)).Actions.Select(a => a.ActionId).ShouldContain(note.ActionId);
            (await named.ExportAsync()).ShouldBe(before);
        }
    }

    [Fact]
    public async Task ServerRestored_PrincipalNotKnown_ReplicaThatNeverPushed_ReloadsAsBefore()
    {
        using var directory = new TempDirectory();
        var urls = $"http://127.0.0.1:{FreePort.Next()}";
        var (database, host, tokens) = await StartWithBackupAsync(directory, urls, "alice", "bob");
        await using (var alice = Replica.Open(new ReplicaOptions { Path = directory.File("alice.db"), Server = host.BaseAddress, Stream = "s", Token = tokens[0], Watch = false }))
        {
            await alice.DefineSchemaAsync(SyncWorld.Schema(Notes));
            await alice.CreateAsync("note", Json.Parse("""{"text":"alice's"}"""));
            await alice.SyncAsync();
        }

        var path = directory.File("reader.db");
        Guid clientId;
        await using (var created = Replica.Open(new ReplicaOptions { Path = path, Stream = "s", Watch = false }))
        {
            clientId = created.ClientId;
        }

        using var anonymous = new NoPrincipalTransport(new HttpSyncTransport(new HttpSyncTransportOptions { Server = host.BaseAddress, Stream = "s", Token = tokens[1], ClientId = clientId }));
        await using var reader = Replica.Open(new ReplicaOptions { Path = path, Watch = false, Transport = anonymous });
        await reader.SyncAsync();
        (await reader.GetStatusAsync()).Cursor.ShouldBe(2);
        await host.DisposeAsync();
        host = await RestoreAsync(directory, database, urls);
        await using (host)
        {
            // Nothing in its log came through its own id: nothing of its own can be lost, so not knowing the principal does not matter.
            await reader.SyncAsync();

            (await reader.GetStatusAsync()).Cursor.ShouldBe(0);
            (await reader.GetStatusAsync()).Principal.ShouldBeNull();
            (await reader.QueryAsync("note")).ShouldBeEmpty();
        }
    }

    /// <summary>Starts a server with a credential per principal for stream "s", backed up before anything is written.</summary>
    private static async Task<(string Database, ServerHost Host, string[] Tokens)> StartWithBackupAsync(TempDirectory directory, string urls, params string[] principals)
    {
        var database = directory.File("server.db");
        string[] tokens;
        await using (var first = await ServerHost.StartAsync(databasePath: database, urls: urls))
        {
            tokens = await Task.WhenAll(principals.Select(p => ConvergeCredentials.CreateAsync(first.Store, p, ["s"], TimeProvider.System).AsTask()));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Copy(database, directory.File("backup.db"));
        return (database, await ServerHost.StartAsync(databasePath: database, urls: urls), tokens);
    }

    /// <summary>Puts the backup back in place of the stopped server's file and starts the server again.</summary>
    private static async Task<ServerHost> RestoreAsync(TempDirectory directory, string database, string urls)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(database + suffix);
        }

        File.Copy(directory.File("backup.db"), database);
        return await ServerHost.StartAsync(databasePath: database, urls: urls);
    }

    /// <summary>Answers pulls as a server that names no principal would: the outcome and the page carry none.</summary>
    private sealed class NoPrincipalTransport(ISyncTransport inner) : ISyncTransport, IDisposable
    {
        public async Task<Exchange<PullOutcome>> PullAsync(long after, int limit, CancellationToken cancellationToken = default)
        {
            var pulled = await inner.PullAsync(after, limit, cancellationToken);
            var page = pulled.Value.Response is { } response ? new PullResponse { Actions = response.Actions, Head = response.Head, ServerTime = response.ServerTime } : null;
            return pulled with { Value = new PullOutcome(pulled.Value.Status, page) };
        }

        public Task<Exchange<PushResponse>> PushAsync(PushRequest request, CancellationToken cancellationToken = default) => inner.PushAsync(request, cancellationToken);

        public Task<Exchange<SnapshotInfo?>> GetSnapshotAsync(CancellationToken cancellationToken = default) => inner.GetSnapshotAsync(cancellationToken);

        public Task<Stream> OpenSnapshotAsync(SnapshotInfo snapshot, CancellationToken cancellationToken = default) => inner.OpenSnapshotAsync(snapshot, cancellationToken);

        public IAsyncEnumerable<long> WatchAsync(CancellationToken cancellationToken = default) => inner.WatchAsync(cancellationToken);

        public void Dispose() => (inner as IDisposable)?.Dispose();
    }

    /// <summary>Hands the replica every pulled action of another principal as if logged under the replica's own client id.</summary>
    private sealed class ForeignUnderOwnIdTransport(ISyncTransport inner, Guid clientId) : ISyncTransport, IDisposable
    {
        public int Rewritten { get; private set; }

        public async Task<Exchange<PullOutcome>> PullAsync(long after, int limit, CancellationToken cancellationToken = default)
        {
            var pulled = await inner.PullAsync(after, limit, cancellationToken);
            var actions = pulled.Value.Response?.Actions ?? [];
            for (var i = 0; i < actions.Count; i++)
            {
                if (actions[i].Principal != "alice")
                {
                    actions[i] = actions[i] with { ClientId = clientId.ToString("D") };
                    Rewritten++;
                }
            }

            return pulled;
        }

        public Task<Exchange<PushResponse>> PushAsync(PushRequest request, CancellationToken cancellationToken = default) => inner.PushAsync(request, cancellationToken);

        public Task<Exchange<SnapshotInfo?>> GetSnapshotAsync(CancellationToken cancellationToken = default) => inner.GetSnapshotAsync(cancellationToken);

        public Task<Stream> OpenSnapshotAsync(SnapshotInfo snapshot, CancellationToken cancellationToken = default) => inner.OpenSnapshotAsync(snapshot, cancellationToken);

        public IAsyncEnumerable<long> WatchAsync(CancellationToken cancellationToken = default) => inner.WatchAsync(cancellationToken);

        public void Dispose() => (inner as IDisposable)?.Dispose();
    }
}
