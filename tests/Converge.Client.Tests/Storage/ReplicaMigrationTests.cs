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

    [Fact]
    public async Task SetElements_KeptInsideRecordRowsByOldFiles_MoveToTheirTable_AndAnOldJournalStillUndoes()
    {
        await using var world = await SyncWorld.StartAsync();
        var path = world.Directory.File("sets.db");
        var other = await world.OpenAsync("other");
        Guid id;
        string full;
        await using (var old = await world.OpenAsync("sets"))
        {
            await old.DefineSchemaAsync(SyncWorld.Schema("""{"bag":{"fields":{"tags":{"type":"string","cardinality":"many"},"name":{"type":"string"}}}}"""));
            id = (await old.CreateAsync("bag", Json.Parse("""{"name":"b","tags":["a","b","c"]}"""))).Record!.Value;
            await old.RemoveAsync("bag", id, "tags", Json.Parse("\"b\""));
            await world.ConvergeAsync(old, other);
            full = Materialized(path, id);
            await old.AddAsync("bag", id, "tags", Json.Parse("\"mine\""));
        }

        var before = Rows(path, "SELECT collection, id FROM cv_records ORDER BY collection, id");
        MakeSetsOld(path, id, full);
        Rows(path, "SELECT name FROM sqlite_master WHERE name = 'cv_elements'").ShouldBeEmpty();
        await other.AddAsync("bag", id, "tags", Json.Parse("\"theirs\""));
        await other.SyncAsync();

        var replica = await world.OpenAsync("sets");

        Rows(path, "SELECT collection, id FROM cv_records ORDER BY collection, id").ShouldBe(before);
        Rows(path, "SELECT count(*) FROM sqlite_master WHERE name IN ('cv_records_v1', 'cv_elements_v1')").ShouldBe(["0"]);
        Rows(path, "SELECT key FROM cv_elements WHERE id = '" + id.ToString("D") + "' ORDER BY key").ShouldBe(["\"a\"", "\"b\"", "\"c\"", "\"mine\""]);
        (await replica.GetAsync("bag", id))!.Value.GetProperty("tags").EnumerateArray().Select(e => e.GetString()).ShouldBe(["a", "c", "mine"]);
        await world.ConvergeAsync(replica, other);
        (await replica.GetAsync("bag", id))!.Value.GetProperty("tags").EnumerateArray().Select(e => e.GetString()).ShouldBe(["a", "c", "mine", "theirs"]);
        (await replica.CheckIntegrityAsync()).ShouldBe("ok");
    }

    /// <summary>The record with its sets materialized, in the storage form files had before cv_elements.</summary>
    private static string Materialized(string path, Guid id)
    {
        using var connection = Open(path);
        using var state = new Converge.Sqlite.SqliteRecordState(connection, SyncWorld.Stream);
        return System.Text.Encoding.UTF8.GetString(Core.Serialization.RecordJson.Serialize(state.ReadRecords("bag").Single(r => r.Key.Id == id)));
    }

    /// <summary>
    /// Turns a replica file back into what the code before cv_elements left: each set's elements inside its record's row,
    /// no cv_elements, and the pending add's journal as the old code wrote it (the whole record as it was before).
    /// </summary>
    private static void MakeSetsOld(string path, Guid id, string fullBeforeAdd)
    {
        using var connection = Open(path);
        var records = new List<(string Stream, string Collection, string Id, byte[] Data)>();
        using (var state = new Converge.Sqlite.SqliteRecordState(connection, SyncWorld.Stream))
        {
            foreach (var record in state.ReadRecords())
            {
                records.Add((SyncWorld.Stream, record.Key.Collection, record.Key.Id.ToString("D"), Core.Serialization.RecordJson.Serialize(record)));
            }
        }

        var tables = Rows(path, "SELECT name FROM cv_tables");
        Execute(connection, "BEGIN");

        // The first storage shape: records as RecordJson, no collection tables.
        Execute(connection, "DROP TABLE cv_records");
        Execute(connection, "CREATE TABLE cv_records (stream TEXT NOT NULL, collection TEXT NOT NULL, id TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (stream, collection, id)) WITHOUT ROWID");
        foreach (var table in tables)
        {
            Execute(connection, $"DROP TABLE {table}");
        }

        Execute(connection, "DROP TABLE cv_tables");
        Execute(connection, "DROP TABLE cv_indexes");
        foreach (var (stream, collection, recordId, data) in records)
        {
            using var update = connection.CreateCommand();
            update.CommandText = "INSERT INTO cv_records (stream, collection, id, data) VALUES ($s, $c, $i, $d)";
            update.Parameters.AddWithValue("$d", data);
            update.Parameters.AddWithValue("$s", stream);
            update.Parameters.AddWithValue("$c", collection);
            update.Parameters.AddWithValue("$i", recordId);
            update.ExecuteNonQuery();
        }

        using (var journal = connection.CreateCommand())
        {
            journal.CommandText = "UPDATE cv_pending SET journal = $j WHERE kind = 'add'";
            journal.Parameters.AddWithValue("$j", System.Text.Encoding.UTF8.GetBytes($$"""[{"c":"bag","i":"{{id:D}}","t":"r","v":{{fullBeforeAdd}}}]"""));
            journal.ExecuteNonQuery().ShouldBe(1);
        }

        Execute(connection, "DROP TABLE cv_elements");
        Execute(connection, "DELETE FROM cv_migrations WHERE name LIKE '%0002_set_elements%' OR name LIKE '%0004_collection_tables%'");
        Execute(connection, "COMMIT");
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
        Converge.Sqlite.ConvergeCollations.Register(connection);
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
