using System.Text;
using Converge.Core.Actions;
using Converge.Core.Merge;
using Converge.Core.Protocol;
using Converge.Core.Serialization;
using Converge.Core.State;
using Converge.Server.Storage;
using Converge.Testing;
using Npgsql;

namespace Converge.Server.Postgres.Tests;

/// <summary>Databases written before cv_elements kept set elements inside their records' rows; opening them moves the elements out.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresSetMigrationTests(PostgresFixture postgres)
{
    private readonly ActionFactory _factory = new(new FakeTimeProvider());

    [Fact]
    public async Task Open_ADatabaseWithElementsInsideRecordRows_MovesThemOut_AndTheStateIsTheSame()
    {
        var database = await postgres.Cluster.CreateDatabaseAsync();
        var create = _factory.Create("bag", """{"name":"b","tags":["a","b","c"]}""");
        string before;
        await using (var store = await PostgresConvergeStore.OpenAsync(database))
        {
            await Sql.PushAsync(store, "s", _factory.Schema("""{"bag":{"fields":{"tags":{"type":"string","cardinality":"many"},"name":{"type":"string"}}}}"""), create, _factory.Remove("bag", create.Record, "tags", "\"b\""));
            before = await ExportAsync(store);
        }

        await MakeOldAsync(database);

        await using (var store = await PostgresConvergeStore.OpenAsync(database))
        {
            (await ExportAsync(store)).ShouldBe(before);
            (await Sql.ScalarAsync(database, "SELECT count(*) FROM cv_records WHERE position('\"s\":['::bytea IN data) > 0")).ShouldBe(0L);
            (await Sql.ScalarAsync(database, "SELECT count(*) FROM cv_elements")).ShouldBe(3L);
            await Sql.PushAsync(store, "s", _factory.Add("bag", create.Record, "tags", "\"d\""));
            (await ExportAsync(store)).ShouldContain("""["a","c","d"]""");
        }
    }

    [Fact]
    public async Task SplitInlineSets_InPagesSmallerThanAStream_MovesEveryElementOfEveryStream_AndTheStateIsTheSame()
    {
        var database = await postgres.Cluster.CreateDatabaseAsync();
        var streams = new[] { "a", "b", "c" };
        var before = new Dictionary<string, string>();
        await using (var store = await PostgresConvergeStore.OpenAsync(database))
        {
            foreach (var stream in streams)
            {
                var large = _factory.Create("bag", $$"""{"tags":[{{string.Join(",", Enumerable.Range(0, 2000).Select(i => $"\"t{i}\""))}}]}""");
                var sets = Enumerable.Range(0, 4).Select(i => (ConvergeAction)_factory.Create("bag", $$"""{"name":"{{stream}}{{i}}","tags":["x{{i}}","y"]}"""));
                var plain = _factory.Create("bag", """{"name":"no set"}""");
                await Sql.PushAsync(store, stream, [_factory.Schema("""{"bag":{"fields":{"tags":{"type":"string","cardinality":"many"},"name":{"type":"string"}}}}"""), large, .. sets, plain, _factory.Remove("bag", large.Record, "tags", "\"t7\"")]);
                before[stream] = await ExportAsync(store, stream);
            }
        }

        await MakeOldAsync(database, dropElements: false);
        int pages;
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            pages = await PostgresMigrations.SplitInlineSetsAsync(connection, transaction, 2, CancellationToken.None);
            await transaction.CommitAsync();
        }

        // 15 rows with sets, two at a time; the rows without one are never read.
        pages.ShouldBe(8);
        (await Sql.ScalarAsync(database, "SELECT count(*) FROM cv_records WHERE position('\"s\":['::bytea IN data) > 0")).ShouldBe(0L);
        (await Sql.ScalarAsync(database, "SELECT count(*) FROM cv_elements")).ShouldBe(3 * (2000 + (4 * 2L)));
        await using (var store = await PostgresConvergeStore.OpenAsync(database))
        {
            foreach (var stream in streams)
            {
                (await ExportAsync(store, stream)).ShouldBe(before[stream]);
            }
        }
    }

    private static async Task MakeOldAsync(string database, bool dropElements = true)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var records = new List<(string Stream, string Collection, Guid Id, byte[] Data)>();
        await using (var read = new NpgsqlCommand("SELECT stream, collection, id, data FROM cv_records", connection))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                records.Add((reader.GetString(0), reader.GetString(1), reader.GetGuid(2), (byte[])reader[3]));
            }
        }

        foreach (var (stream, collection, id, data) in records)
        {
            var header = RecordJson.Deserialize(data);
            var state = new InMemoryRecordState();
            await using (var elements = new NpgsqlCommand("SELECT field, key, data FROM cv_elements WHERE stream = $1 AND collection = $2 AND id = $3", connection) { Parameters = { new() { Value = stream }, new() { Value = collection }, new() { Value = id } } })
            await using (var reader = await elements.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    state.SetElement(header.Key, reader.GetString(0), reader.GetString(1), RecordJson.DeserializeElement((byte[])reader[2]));
                }
            }

            var full = RecordJson.Serialize(RecordSets.Materialize(state, header));
            await using var update = new NpgsqlCommand("UPDATE cv_records SET data = $1 WHERE stream = $2 AND collection = $3 AND id = $4", connection) { Parameters = { new() { Value = full }, new() { Value = stream }, new() { Value = collection }, new() { Value = id } } };
            await update.ExecuteNonQueryAsync();
        }

        foreach (var sql in dropElements ? ["DROP TABLE cv_elements", "DELETE FROM cv_migrations WHERE name LIKE '%0004_set_elements%'"] : new[] { "DELETE FROM cv_elements" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<string> ExportAsync(IConvergeStore store, string stream = "s")
    {
        using var buffer = new MemoryStream();
        await store.ExportAsync(stream, buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
