using System.Text;
using Converge.Client.Query;
using Converge.Testing;

namespace Converge.Client.Tests.Storage;

/// <summary>
/// A replica file and a server store made by the release before collection tables (tests/Converge.Sqlite.Tests/Fixtures)
/// open through the public API, upgrade in place, answer queries, and sync: the replica's pending writes reach the
/// upgraded server and both end with the same state.
/// </summary>
public sealed class OldFileUpgradeTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(RepositoryPaths.Root, "tests", "Converge.Sqlite.Tests", "Fixtures");
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Open_OfAnOldReplicaAndServerFile_UpgradesThemAndTheyQueryAndSync()
    {
        var replicaPath = _directory.File("replica.db");
        var serverPath = _directory.File("server.db");
        File.Copy(Path.Combine(Fixtures, "replica-v1.db"), replicaPath);
        File.Copy(Path.Combine(Fixtures, "server-v1.db"), serverPath);

        var host = await ServerHost.StartAsync(databasePath: serverPath);
        try
        {
            await using var replica = Replica.Open(new ReplicaOptions
            {
                Path = replicaPath,
                Server = host.BaseAddress,
                Stream = "team",
                Token = await host.TokenAsync("alice", "team"),
                Watch = false,
            });

            // The upgraded file gives what the old one gave, its pending writes included.
            (await replica.ExportAsync()).ShouldBe(await File.ReadAllTextAsync(Path.Combine(Fixtures, "replica-v1.export.json")));
            var pending = await replica.GetPendingAsync();
            pending.Count.ShouldBeGreaterThan(0);

            // The collection tables answer queries: the pending title is there, the pending delete is not.
            var titled = await replica.QueryAsync("tasks", new ReplicaQueryOptions { Where = [new QueryFilter("title", QueryOperator.Equal, Json.Parse("\"pending\""))] });
            titled.Count.ShouldBe(1);
            (await replica.QueryAsync("tasks", new ReplicaQueryOptions { Where = [new QueryFilter("id", QueryOperator.Equal, Json.Parse("\"01900000-0000-7000-8000-100000000001\""))] })).ShouldBeEmpty();

            // The pending writes sync to the upgraded server, which then holds the same state.
            await replica.SyncAsync();
            (await replica.GetPendingAsync()).ShouldBeEmpty();
            using var buffer = new MemoryStream();
            await host.Store.ExportAsync("team", buffer);
            Encoding.UTF8.GetString(buffer.ToArray()).ShouldBe(await replica.ExportAsync());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    public void Dispose() => _directory.Dispose();
}
