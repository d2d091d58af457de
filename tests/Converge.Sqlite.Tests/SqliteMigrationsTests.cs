using Converge.Core.Merge;
using Converge.Testing;

namespace Converge.Sqlite.Tests;

/// <summary>Files older versions left, opened by today's migrations (<see cref="SqliteMigrations"/>, <see cref="InlineSetMigration"/>).</summary>
public sealed class SqliteMigrationsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void Migration_OfAFileWithTheOldKeyOfNegativeZero_KeysBothZerosAlike()
    {
        var record = Guid.CreateVersion7();
        var id = record.ToString("D");
        const string Added = "2026-11-21T06:00:00.000000000Z/00000000000000000000000000000001";
        const string Removed = "2026-11-21T07:00:00.000000000Z/00000000000000000000000000000001";
        using (var connection = SqliteText.Open(_directory.File("state.db"), fullSync: false))
        {
            // As older versions left it: the first storage shape (records as RecordJson), -0.0 keyed '-0' in the unique
            // index and in the set (here beside a removed 0.0), the set's elements inside the record's row, and no cv_elements.
            SqliteMigrations.Apply(connection, typeof(SqliteMigrations).Assembly, "Converge.Sqlite.Sql.");
            using (var schema = connection.CreateCommand())
            {
                schema.CommandText = "INSERT INTO cv_schema (stream, body) VALUES ('s', $b)";
                schema.Parameters.AddWithValue("$b", Core.Export.SchemaJson.Serialize(Core.Export.SchemaJson.Deserialize("""{"collections":{"m":{"fields":{"score":{"type":"double","unique":"value"},"vals":{"type":"double","cardinality":"many"},"raw":{"type":"json","cardinality":"many"}}}}}"""u8)));
                schema.ExecuteNonQuery();
            }

            SqliteText.Execute(connection, """
                INSERT INTO cv_uniques (stream, collection, field, value, record) VALUES ('s', 'm', 'score', '-0', '@ID');
                INSERT INTO cv_records (stream, collection, id, data) VALUES ('s', 'm', '@ID', CAST('{"c":"m","i":"@ID","f":{"raw":{"s":[{"k":"-0","v":-0,"a":"@ADDED"}]},"score":{"r":-0.0,"h":"@ADDED"},"vals":{"s":[{"k":"-0","v":-0.0,"a":"@ADDED"},{"k":"0","v":0,"x":"@REMOVED"}]}}}' AS BLOB));
                DROP TABLE cv_elements;
                DELETE FROM cv_migrations WHERE name LIKE '%0002_set_elements%' OR name LIKE '%0003_negative_zero%';
                """.Replace("@ID", id, StringComparison.Ordinal).Replace("@ADDED", Added, StringComparison.Ordinal).Replace("@REMOVED", Removed, StringComparison.Ordinal));
        }

        using var upgraded = Open();
        using var after = new SqliteRecordState(upgraded, "s");
        var key = new RecordKey("m", record);

        after.GetUnique(new UniqueKey("m", "score", "0")).ShouldBe(record);
        after.GetUnique(new UniqueKey("m", "score", "-0")).ShouldBeNull();
        var vals = after.ReadElements(key, "vals").ShouldHaveSingleItem();
        vals.Key.ShouldBe("0");
        (vals.Value.Added.ToString(), vals.Value.Removed.ToString()).ShouldBe((Added, Removed));
        ((Core.State.SetState)after.GetRecord(key)!.Fields["vals"]).Count.ShouldBe(0);
        after.ReadElements(key, "raw").ShouldHaveSingleItem().Key.ShouldBe("-0");
    }

    public void Dispose() => _directory.Dispose();

    private Microsoft.Data.Sqlite.SqliteConnection Open()
    {
        var connection = SqliteText.Open(_directory.File("state.db"), fullSync: false);
        SqliteMigrations.ApplyRecordState(connection);
        return connection;
    }
}
