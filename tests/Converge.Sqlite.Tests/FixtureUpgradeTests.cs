using System.Buffers;
using System.Text;
using System.Text.Json;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Serialization;
using Converge.Testing;
using Microsoft.Data.Sqlite;

namespace Converge.Sqlite.Tests;

/// <summary>Files made by the release before collection tables (tests/Converge.Sqlite.Tests/Fixtures) upgrade in place on open.</summary>
public sealed class FixtureUpgradeTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData("replica-v1", "team")]
    [InlineData("server-v1", "team")]
    public void Open_OfAFileMadeByTheFirstShape_GivesEveryRecordAndElementAsBefore_AndTheSameExport(string fixture, string stream)
    {
        var path = Copy(fixture);
        var (records, elements) = ReadOld(path);
        records.Count.ShouldBeGreaterThan(20);
        elements.Count.ShouldBeGreaterThan(20);

        using var connection = SqliteText.Open(path, fullSync: false);
        SqliteMigrations.ApplyRecordState(connection);
        using var state = new SqliteRecordState(connection, stream);

        foreach (var (key, data) in records)
        {
            Encoding.UTF8.GetString(RecordJson.Serialize(state.GetRecord(key)!)).ShouldBe(data, $"{key.Collection}/{key.Id}");
        }

        foreach (var ((key, field), stored) in elements)
        {
            var now = state.ReadElements(key, field).Select(e => (e.Key, Encoding.UTF8.GetString(RecordJson.SerializeElement(e.Value)))).ToList();
            string.Join("\n", now).ShouldBe(string.Join("\n", stored), $"{key.Collection}/{key.Id}.{field}");
        }

        Export(state).ShouldBe(File.ReadAllText(Path.Combine(Fixtures, fixture + ".export.json")));
        SqliteText.Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'cv_%_v1'").ShouldBe(0L);
    }

    [Fact]
    public void Open_OfAReplicaFileMadeByTheFirstShape_FillsOneTablePerCollectionWithTheLiveRecords()
    {
        var path = Copy("replica-v1");
        using var connection = SqliteText.Open(path, fullSync: false);
        SqliteMigrations.ApplyRecordState(connection);

        var tables = CollectionTables.List(connection, "team");
        tables.Select(t => t.Collection).ShouldBe(["mine", "notes", "people", "tasks"]);
        using var export = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures, "replica-v1.export.json")));
        foreach (var table in tables)
        {
            var live = export.RootElement.GetProperty("records").GetProperty(table.Collection).EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
            Ids(connection, $"SELECT id FROM {table.Name} ORDER BY id").ShouldBe(live, table.Collection);
        }

        var tasks = CollectionTables.Find(connection, "team", "tasks")!;
        tasks.Columns["price"].Kind.ShouldBe(ColumnKind.Decimal);
        tasks.Columns["tags"].Kind.ShouldBe(ColumnKind.Set);

        // Decimal and instant order by value, not by text; sets hold their present elements.
        Ids(connection, $"SELECT id FROM {tasks.Name} WHERE price = '1.5' ORDER BY id").ShouldNotBeEmpty();
        SqliteText.Scalar(connection, $"SELECT count(*) FROM {tasks.Name} WHERE price = '1.5'").ShouldBe(SqliteText.Scalar(connection, $"SELECT count(*) FROM {tasks.Name} WHERE price IN ('1.50', '1.5')"));
        SqliteText.Scalar(connection, $"SELECT due FROM {tasks.Name} WHERE due IS NOT NULL ORDER BY due LIMIT 1").ShouldBe("1999-12-31T23:59:59-05:30");
        SqliteText.Scalar(connection, $"SELECT count(*) FROM {tasks.Name}, json_each({tasks.Name}.tags) WHERE json_each.value = 'added'").ShouldBe(4L);
        SqliteText.Scalar(connection, $"SELECT \"$extra\" FROM {CollectionTables.Find(connection, "team", "notes")!.Name} WHERE id = '01900000-0000-7000-8000-300000000001'").ShouldBe("""{"color":"red","deep":{"k":[1e3]},"size":1.0}""");
    }

    public void Dispose() => _directory.Dispose();

    private static string Fixtures => Path.Combine(RepositoryPaths.Root, "tests", "Converge.Sqlite.Tests", "Fixtures");

    private string Copy(string fixture)
    {
        var path = _directory.File(fixture + ".db");
        File.Copy(Path.Combine(Fixtures, fixture + ".db"), path);
        return path;
    }

    private static string Export(SqliteRecordState state)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
        {
            CanonicalExport.Write(writer, state);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static List<string> Ids(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>The first shape's rows, read with plain SQL before anything migrates them.</summary>
    private static (List<(RecordKey, string)> Records, Dictionary<(RecordKey, string), List<(string, string)>> Elements) ReadOld(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        var records = new List<(RecordKey, string)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT collection, id, data FROM cv_records ORDER BY collection, id";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                records.Add((new RecordKey(reader.GetString(0), Guid.Parse(reader.GetString(1))), Encoding.UTF8.GetString((byte[])reader[2])));
            }
        }

        var elements = new Dictionary<(RecordKey, string), List<(string, string)>>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT collection, id, field, key, data FROM cv_elements ORDER BY collection, id, field, key";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var key = (new RecordKey(reader.GetString(0), Guid.Parse(reader.GetString(1))), reader.GetString(2));
                (elements.TryGetValue(key, out var list) ? list : elements[key] = []).Add((reader.GetString(3), Encoding.UTF8.GetString((byte[])reader[4])));
            }
        }

        return (records, elements);
    }
}
