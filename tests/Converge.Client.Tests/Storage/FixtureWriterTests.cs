using System.Text;
using Converge.Testing;
using Microsoft.Data.Sqlite;

namespace Converge.Client.Tests.Storage;

/// <summary>
/// Writes the upgrade fixtures (tests/Converge.Sqlite.Tests/Fixtures): a replica file and a server store file made by
/// the code of the commit it runs on, with their canonical exports. Run only on request (CONVERGE_WRITE_FIXTURES=1).
/// </summary>
public sealed class FixtureWriterTests
{
    private const string Collections = """
        {
          "tasks":{"fields":{
            "title":{"type":"string"},"done":{"type":"bool"},"due":{"type":"instant"},"n":{"type":"long"},
            "price":{"type":"decimal"},"ratio":{"type":"double"},"owner":{"type":"ref","target":"people"},
            "uid":{"type":"uuid"},"meta":{"type":"json"},"tags":{"type":"string","cardinality":"many"},
            "scores":{"type":"double","cardinality":"many"},"likes":{"type":"long","counter":true},
            "amount":{"type":"decimal","counter":true},"code":{"type":"string","unique":"value"}}},
          "people":{"fields":{"email":{"type":"string","unique":"identity"},"name":{"type":"string"}}},
          "notes":{"open":true,"fields":{"title":{"type":"string"}}},
          "mine":{"owned":true,"fields":{"text":{"type":"string"}}}
        }
        """;

    [Fact]
    public async Task WriteFixtures_OnRequest_WritesReplicaAndServerFiles()
    {
        if (Environment.GetEnvironmentVariable("CONVERGE_WRITE_FIXTURES") != "1")
        {
            return;
        }

        var target = Path.Combine(RepositoryPaths.Root, "tests", "Converge.Sqlite.Tests", "Fixtures");
        using var directory = new TempDirectory();
        var serverPath = directory.File("server.db");
        string replicaExport, serverExport;
        var host = await ServerHost.StartAsync(databasePath: serverPath);
        var replicas = new TempDirectory();
        try
        {
            var options = new Func<string, Task<ReplicaOptions>>(async name => new ReplicaOptions
            {
                Path = replicas.File($"{name}.db"),
                Server = host.BaseAddress,
                Stream = "team",
                Token = await host.TokenAsync("alice", "team"),
                Watch = false,
            });
            var a = Replica.Open(await options("a"));
            var b = Replica.Open(await options("b"));
            await a.DefineSchemaAsync(SyncWorld.Schema(Collections));
            await a.SyncAsync();
            await b.SyncAsync();

            // Identity: both create the same email offline; the later id becomes an alias.
            await a.CreateAsync("people", Json.Parse("""{"email":"ann@x.org","name":"Ann A"}"""), Guid.Parse("01900000-0000-7000-8000-000000000001"));
            await b.CreateAsync("people", Json.Parse("""{"email":"ann@x.org","name":"Ann B"}"""), Guid.Parse("01900000-0000-7000-8000-000000000002"));
            await a.CreateAsync("people", Json.Parse("""{"email":"bob@x.org"}"""), Guid.Parse("01900000-0000-7000-8000-000000000003"));
            var numbers = new[] { "1.0", "1e3", "-0", "1.50", "0", "-12.25", "1E+2", "3" };
            var instants = new[] { "2026-11-21T06:53:36Z", "2026-11-21T08:53:36.5+02:00", "2026-11-21T06:53:36.123456789Z", "1999-12-31T23:59:59-05:30", "2026-01-01T00:00:00.000Z" };
            for (var i = 0; i < 24; i++)
            {
                var id = Guid.Parse($"01900000-0000-7000-8000-1000000000{i:D2}");
                var number = numbers[i % numbers.Length];
                var fields = i % 5 == 4
                    ? $$"""{"title":"t{{i}}","done":null,"due":null}"""
                    : $$"""{"title":"t{{i}} \u00e9\"q","done":{{(i % 2 == 0 ? "true" : "false")}},"due":"{{instants[i % instants.Length]}}","n":{{(i % 3 == 0 ? "-0" : (i * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture))}},"price":{{number}},"ratio":{{number}},"owner":"01900000-0000-7000-8000-000000000001","uid":"{{Guid.Parse($"01900000-0000-7000-8000-2000000000{i:D2}"):D}}","meta":{"b":[1,2.0,{"z":null}],"a":"x"},"tags":["x","y{{i % 3}}"],"scores":[{{number}},2.5],"likes":{{i}},"amount":{{number}},"code":"c{{i}}"}""";
                await a.CreateAsync("tasks", Json.Parse(fields), id);
                if (i % 4 == 1)
                {
                    await a.AddAsync("tasks", id, "tags", Json.Parse("\"added\""));
                    await a.RemoveAsync("tasks", id, "tags", Json.Parse("\"x\""));
                    await a.IncrementAsync("tasks", id, "likes", 5);
                    await a.IncrementAsync("tasks", id, "amount", 0.25m);
                }

                if (i % 6 == 2)
                {
                    await a.UpdateAsync("tasks", id, Json.Parse("""{"title":"renamed","price":null,"meta":[]}"""));
                }

                if (i % 7 == 3)
                {
                    await a.DeleteAsync("tasks", id);
                }
            }

            await a.CreateAsync("notes", Json.Parse("""{"title":"n1","color":"red","size":1.0,"deep":{"k":[1e3]}}"""), Guid.Parse("01900000-0000-7000-8000-300000000001"));
            await a.CreateAsync("notes", Json.Parse("""{"title":"n2"}"""), Guid.Parse("01900000-0000-7000-8000-300000000002"));
            await a.CreateAsync("notes", Json.Parse("""{"title":"n3","color":null}"""), Guid.Parse("01900000-0000-7000-8000-300000000003"));
            await a.CreateAsync("mine", Json.Parse("""{"text":"mine"}"""), Guid.Parse("01900000-0000-7000-8000-400000000001"));
            await a.SyncAsync();
            await b.SyncAsync();
            await a.SyncAsync();

            // Pending writes on top, never pushed.
            await a.UpdateAsync("tasks", Guid.Parse("01900000-0000-7000-8000-100000000000"), Json.Parse("""{"title":"pending","ratio":2.50}"""));
            await a.CreateAsync("notes", Json.Parse("""{"title":"p","extra":true}"""), Guid.Parse("01900000-0000-7000-8000-300000000004"));
            await a.DeleteAsync("tasks", Guid.Parse("01900000-0000-7000-8000-100000000001"));
            replicaExport = await a.ExportAsync();
            using var buffer = new MemoryStream();
            await host.Store.ExportAsync("team", buffer);
            serverExport = Encoding.UTF8.GetString(buffer.ToArray());
            await a.DisposeAsync();
            await b.DisposeAsync();
            Copy(replicas.File("a.db"), Path.Combine(target, "replica-v1.db"));
        }
        finally
        {
            await host.DisposeAsync();
        }

        Copy(serverPath, Path.Combine(target, "server-v1.db"));
        await File.WriteAllTextAsync(Path.Combine(target, "replica-v1.export.json"), replicaExport);
        await File.WriteAllTextAsync(Path.Combine(target, "server-v1.export.json"), serverExport);
        replicas.Dispose();
    }

    /// <summary>Copies a closed SQLite file with its WAL folded in (the last connection's checkpoint).</summary>
    private static void Copy(string from, string to)
    {
        using (var connection = new SqliteConnection($"Data Source={from};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            command.ExecuteNonQuery();
        }

        File.Copy(from, to, overwrite: true);
    }
}
