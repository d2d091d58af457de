using Converge.Core;
using Converge.Core.Actions;
using Converge.Core.Merge;
using Converge.Core.Protocol;
using Converge.Server.Storage;
using Converge.Testing;
using Npgsql;

namespace Converge.Server.Postgres.Tests;

/// <summary>Databases from before migration 0006 index unique values by the value itself; opening them keys the index on its hash, keeping every entry.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresUniqueMigrationTests(PostgresFixture postgres)
{
    private const string People = """{"person":{"fields":{"email":{"type":"string","unique":"value"}}}}""";
    private readonly ActionFactory _factory = new(new FakeTimeProvider());

    [Fact]
    public async Task Open_ADatabaseWithUniquesKeyedByValue_KeepsThemHeld_AndTakesLongValues()
    {
        var database = await postgres.Cluster.CreateDatabaseAsync();
        var ann = _factory.Create("person", """{"email":"ann@example.com"}""");
        var ene = _factory.Create("person", """{"email":"éñe ✓ 😀"}""");
        await using (var store = await PostgresConvergeStore.OpenAsync(database))
        {
            await Sql.PushAsync(store, "s", _factory.Schema(People), ann, ene);
        }

        // The table as before 0006: no hash, the value itself in the primary key.
        await Sql.ExecuteAsync(
            database,
            """
            ALTER TABLE cv_uniques DROP CONSTRAINT cv_uniques_pkey;
            ALTER TABLE cv_uniques DROP COLUMN value_hash;
            ALTER TABLE cv_uniques ADD PRIMARY KEY (stream, collection, field, value);
            DELETE FROM cv_migrations WHERE name = 'Converge.Server.Postgres.Sql.0006_unique_hash.sql';
            """);

        await using (var store = await PostgresConvergeStore.OpenAsync(database))
        {
            var session = await store.BeginWriteAsync("s");
            await using (session)
            {
                session.State.GetUnique(new UniqueKey("person", "email", "\"ann@example.com\"")).ShouldBe(ann.Record);
                Reject(session, """{"email":"ann@example.com"}""").ShouldBe(RejectionCodes.UniqueViolation);
                Reject(session, """{"email":"éñe ✓ 😀"}""").ShouldBe(RejectionCodes.UniqueViolation);
            }

            var bytes = new byte[3000];
            new Random(5).NextBytes(bytes);
            var longer = _factory.Create("person", $$"""{"email":"{{Convert.ToBase64String(bytes)}}"}""");
            await Sql.PushAsync(store, "s", longer);
            (await Sql.ScalarAsync(database, "SELECT count(*) FROM cv_uniques")).ShouldBe(3L);
        }
    }

    private string? Reject(IStreamWriteSession session, string fields) =>
        MergeEngine.Apply(session.State, _factory.Create("person", fields), new ApplyContext("bob")).Rejection?.Code;
}
