using Converge.Client.Lifecycle;
using Converge.Server.Auth;
using Converge.Testing;

namespace Converge.Client.Tests.Regressions;

/// <summary>A server restored from an older backup answers <c>cursor_ahead</c>: the replica reloads and loses nothing of its own.</summary>
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
}
