using Converge.Core;
using Converge.Core.Actions;
using Converge.Core.Merge;
using Converge.Core.Protocol;
using Converge.Core.State;
using Converge.Server.Storage;
using Converge.Testing;
using Npgsql;

namespace Converge.Server.Postgres.Tests;

/// <summary>Older versions keyed the double -0.0 as '-0', apart from 0.0; opening their databases keys both zeros alike.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresNegativeZeroMigrationTests(PostgresFixture postgres)
{
    private const string Schema = """{"m":{"fields":{"score":{"type":"double","unique":"value"},"vals":{"type":"double","cardinality":"many"},"raw":{"type":"json","cardinality":"many"}}}}""";
    private const string Added = "2026-11-21T06:00:00.000000000Z/00000000000000000000000000000001";
    private const string Removed = "2026-11-21T07:00:00.000000000Z/00000000000000000000000000000001";
    private readonly ActionFactory _factory = new(new FakeTimeProvider());

    [Fact]
    public async Task Open_ADatabaseWithTheOldKeyOfNegativeZero_KeysBothZerosAlike_InUniquesAndDoubleSets()
    {
        var database = await postgres.Cluster.CreateDatabaseAsync();
        await using (var store = await PostgresConvergeStore.OpenAsync(database))
        {
            await Sql.PushAsync(store, "s", _factory.Schema(Schema));
            await Sql.PushAsync(store, "t", _factory.Schema(Schema));
        }

        // As older versions left it: in stream s, -0.0 keyed '-0' in the unique index and in a double set (beside a
        // removed 0.0), the set's elements inside the record's row; in stream t, both zeros held by two records.
        var record = Guid.CreateVersion7();
        var zero = Guid.CreateVersion7();
        var negative = Guid.CreateVersion7();
        var data = """{"c":"m","i":"@ID","f":{"raw":{"s":[{"k":"-0","v":-0,"a":"@ADDED"}]},"score":{"r":-0.0,"h":"@ADDED"},"vals":{"s":[{"k":"-0","v":-0.0,"a":"@ADDED"},{"k":"0","v":0,"x":"@REMOVED"}]}}}"""
            .Replace("@ID", record.ToString("D"), StringComparison.Ordinal).Replace("@ADDED", Added, StringComparison.Ordinal).Replace("@REMOVED", Removed, StringComparison.Ordinal);
        await Sql.ExecuteAsync(
            database,
            $"""
            INSERT INTO cv_records (stream, collection, id, data) VALUES ('s', 'm', '{record:D}', convert_to('{data}', 'UTF8'));
            INSERT INTO cv_uniques (stream, collection, field, value, value_hash, record) VALUES
                ('s', 'm', 'score', '-0', sha256(convert_to('-0', 'UTF8')), '{record:D}'),
                ('t', 'm', 'score', '0', sha256(convert_to('0', 'UTF8')), '{zero:D}'),
                ('t', 'm', 'score', '-0', sha256(convert_to('-0', 'UTF8')), '{negative:D}');
            DELETE FROM cv_migrations WHERE name IN ('Converge.Server.Postgres.Code.0004_set_elements', 'Converge.Server.Postgres.Sql.0007_negative_zero.sql');
            """);

        await using (var store = await PostgresConvergeStore.OpenAsync(database))
        {
            var session = await store.BeginWriteAsync("s");
            await using (session)
            {
                var key = new RecordKey("m", record);
                session.State.GetUnique(new UniqueKey("m", "score", "0")).ShouldBe(record);
                session.State.GetUnique(new UniqueKey("m", "score", "-0")).ShouldBeNull();
                var vals = session.State.ReadElements(key, "vals").ShouldHaveSingleItem();
                vals.Key.ShouldBe("0");
                (vals.Value.Added.ToString(), vals.Value.Removed.ToString()).ShouldBe((Added, Removed));
                ((SetState)session.State.GetRecord(key)!.Fields["vals"]).Count.ShouldBe(0);
                session.State.ReadElements(key, "raw").ShouldHaveSingleItem().Key.ShouldBe("-0");
                MergeEngine.Apply(session.State, _factory.Create("m", """{"score":-0.0}"""), new ApplyContext("bob")).Rejection.ShouldNotBeNull().Code.ShouldBe(RejectionCodes.UniqueViolation);
                MergeEngine.Apply(session.State, _factory.Create("m", """{"score":0.0}"""), new ApplyContext("bob")).Rejection.ShouldNotBeNull().Code.ShouldBe(RejectionCodes.UniqueViolation);
            }

            var other = await store.BeginWriteAsync("t");
            await using (other)
            {
                other.State.GetUnique(new UniqueKey("m", "score", "0")).ShouldBe(zero);
            }
        }

        (await Sql.ScalarAsync(database, "SELECT count(*) FROM cv_uniques WHERE value = '-0'")).ShouldBe(0L);
        (await Sql.ScalarAsync(database, "SELECT count(*) FROM cv_uniques WHERE stream = 't'")).ShouldBe(1L);
    }
}
