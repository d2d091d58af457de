using Converge.Client.Lifecycle;
using Converge.Testing;
using Microsoft.Data.Sqlite;

namespace Converge.Client.Tests.Storage;

public sealed class ReplicaMigrationTests
{
    private const string People = """{"person":{"fields":{"name":{"type":"string"}}}}""";

    /// <summary>cv_pending exactly as 0001_client.sql made it, before 0003.</summary>
    private const string OldPending = """
        CREATE TABLE cv_pending (
            seq         INTEGER PRIMARY KEY AUTOINCREMENT,
            action_id   TEXT    NOT NULL UNIQUE,
            collection  TEXT,
            record      TEXT,
            kind        TEXT    NOT NULL,
            body        BLOB    NOT NULL,
            status      TEXT    NOT NULL,
            acked_index INTEGER,
            journal     BLOB    NOT NULL,
            written_at  TEXT    NOT NULL
        );
        """;

    [Fact]
    public async Task PendingWithoutAutoincrement_KeepsAQueueMadeByTheOldCode_InOrder_AndItSyncs()
    {
        await using var world = await SyncWorld.StartAsync();
        var path = world.Directory.File("old.db");
        var written = new List<Guid>();
        await using (var old = await world.OpenAsync("old"))
        {
            written.Add((await old.DefineSchemaAsync(SyncWorld.Schema(People))).ActionId);
            for (var i = 0; i < 5; i++)
            {
                written.Add((await old.CreateAsync("person", Json.Parse($$"""{"name":"p{{i}}"}"""))).ActionId);
            }
        }

        var before = Rows(path, "SELECT seq, action_id, body, journal, status, written_at FROM cv_pending ORDER BY seq");
        MakeOld(path);
        Rows(path, "SELECT sql FROM sqlite_master WHERE name = 'cv_pending'").ShouldHaveSingleItem().ShouldContain("AUTOINCREMENT");

        var replica = await world.OpenAsync("old");

        Rows(path, "SELECT seq, action_id, body, journal, status, written_at FROM cv_pending ORDER BY seq").ShouldBe(before);
        Rows(path, "SELECT sql FROM sqlite_master WHERE name = 'cv_pending'").ShouldHaveSingleItem().ShouldNotContain("AUTOINCREMENT");
        Rows(path, "SELECT name FROM sqlite_sequence WHERE name LIKE 'cv_pending%'").ShouldBeEmpty();
        written.Add((await replica.CreateAsync("person", Json.Parse("""{"name":"after"}"""))).ActionId);
        (await replica.GetPendingAsync()).Select(p => p.ActionId).ShouldBe(written);
        (await replica.CheckIntegrityAsync()).ShouldBe("ok");

        await replica.SyncAsync();

        (await replica.GetPendingAsync()).ShouldBeEmpty();
        foreach (var id in written)
        {
            (await replica.GetActionStateAsync(id)).Status.ShouldBe(ActionStatus.Confirmed);
        }

        (await replica.ExportAsync()).ShouldBe(await world.ServerExportAsync());
    }

    /// <summary>Turns a replica file back into what the code before 0003 left: the old cv_pending, and 0003 not applied.</summary>
    private static void MakeOld(string path)
    {
        using var connection = Open(path);
        Execute(connection, "BEGIN");
        Execute(connection, "ALTER TABLE cv_pending RENAME TO cv_pending_new");
        Execute(connection, OldPending);
        Execute(connection, "INSERT INTO cv_pending SELECT * FROM cv_pending_new ORDER BY seq");
        Execute(connection, "DROP TABLE cv_pending_new");
        Execute(connection, "DELETE FROM cv_migrations WHERE name = 'Converge.Client.Sql.0003_pending_without_autoincrement.sql'");
        Execute(connection, "COMMIT");
    }

    private static List<string> Rows(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) is byte[] bytes ? Convert.ToHexString(bytes) : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
