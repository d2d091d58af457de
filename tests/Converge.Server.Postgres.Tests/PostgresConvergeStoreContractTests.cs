using Converge.Server.Storage;
using Converge.Testing.Stores;

namespace Converge.Server.Postgres.Tests;

/// <summary>The store contract, unchanged, against the PostgreSQL store on a real cluster.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresConvergeStoreContractTests(PostgresFixture postgres) : ConvergeStoreContract, IAsyncLifetime
{
    private readonly List<PostgresConvergeStore> _stores = [];

    internal override async Task<IConvergeStore> CreateStoreAsync()
    {
        var store = await PostgresConvergeStore.OpenAsync(await postgres.Cluster.CreateDatabaseAsync());
        _stores.Add(store);
        return store;
    }

    [Fact]
    public async Task Open_TwoNodesAtOnce_ApplyTheTablesOnce()
    {
        var database = await postgres.Cluster.CreateDatabaseAsync();

        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresConvergeStore.OpenAsync(database)));

        _stores.AddRange(stores);
        (await stores[0].PingAsync()).ShouldBeTrue();
    }

    [Fact]
    public async Task BindClient_TwoNodesOnOneDatabaseAtOnce_AgreeOnEveryOwner()
    {
        var database = await postgres.Cluster.CreateDatabaseAsync();
        var nodes = await Task.WhenAll(PostgresConvergeStore.OpenAsync(database), PostgresConvergeStore.OpenAsync(database));
        _stores.AddRange(nodes);
        var clients = Enumerable.Range(0, 20).Select(_ => Guid.CreateVersion7()).ToList();
        var now = DateTimeOffset.UnixEpoch;

        var owners = await Task.WhenAll(clients.SelectMany(c => new[]
        {
            Task.Run(async () => (Client: c, Owner: await nodes[0].BindClientAsync("s", c, "alice", now))),
            Task.Run(async () => (Client: c, Owner: await nodes[1].BindClientAsync("s", c, "bob", now))),
        }));

        foreach (var group in owners.GroupBy(o => o.Client))
        {
            group.Select(o => o.Owner).Distinct().ShouldHaveSingleItem();
        }
    }

    [Fact]
    public async Task Migration_ClientRowFromBeforeBindings_IsOwnedByThePrincipalOfItsLastVisit()
    {
        var database = await postgres.Cluster.CreateDatabaseAsync();
        var client = Guid.CreateVersion7();
        var seen = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        await (await PostgresConvergeStore.OpenAsync(database)).DisposeAsync();
        // The database as the previous version left it: no owner column, one registered client.
        await using (var connection = new Npgsql.NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(
                $"""
                ALTER TABLE cv_clients DROP COLUMN owner;
                DELETE FROM cv_migrations WHERE name = 'Converge.Server.Postgres.Sql.0003_client_owner.sql';
                INSERT INTO cv_clients (stream, client_id, principal, cursor, last_seen) VALUES ('s', '{client:D}', 'alice', 4, '2026-11-21T12:00:00Z');
                """,
                connection);
            await command.ExecuteNonQueryAsync();
        }

        var store = await PostgresConvergeStore.OpenAsync(database);
        _stores.Add(store);

        // Another member of the stream saw the id in a pulled log: it may not claim it.
        (await store.BindClientAsync("s", client, "bob", seen.AddMinutes(1))).ShouldBe("alice");
        (await store.BindClientAsync("s", client, "alice", seen.AddMinutes(2))).ShouldBe("alice");
        var info = (await store.ListClientsAsync("s")).ShouldHaveSingleItem();
        info.Principal.ShouldBe("alice");
        info.Cursor.ShouldBe(4);
        info.LastSeen.ShouldBe(seen);
    }

    [Fact]
    public async Task Push_AfterTheFirst_TakesTheSchemaFromMemory_UntilAnotherNodeChangesIt()
    {
        var database = await postgres.Cluster.CreateDatabaseAsync();
        var one = await PostgresConvergeStore.OpenAsync(database);
        var two = await PostgresConvergeStore.OpenAsync(database);
        _stores.AddRange([one, two]);
        await AppendAsync(one, "s", 2);

        // Unreadable without its hash changing: only a push that read the schema again would notice.
        await ExecuteAsync(database, "UPDATE cv_schema SET body = '\\x7B'::bytea WHERE stream = 's'");
        await AppendAsync(one, "s", 3);
        (await one.ReadAsync("s", 0, 10)).Head.ShouldBe(5);

        // Another node declares a collection (the hash changes): this node's next push sees it.
        await ExecuteAsync(database, "UPDATE cv_schema SET body = convert_to('{\"collections\":{}}', 'UTF8') WHERE stream = 's'");
        var session = await two.BeginWriteAsync("s");
        await using (session)
        {
            var pets = new Converge.Testing.ActionFactory(new Converge.Testing.FakeTimeProvider()).Schema("""{"pet":{"fields":{"name":{"type":"string"}}}}""");
            Core.Merge.MergeEngine.Apply(session.State, pets, new Core.Merge.ApplyContext("alice")).IsRejected.ShouldBeFalse();
            await session.CommitAsync();
        }

        var check = await one.BeginWriteAsync("s");
        await using (check)
        {
            check.State.GetSchema().Collections.Keys.ShouldBe(["pet"]);
        }
    }

    [Fact]
    public async Task Push_AfterARestoreWhileNodesRun_TakesNoSchemaFromMemoryThatTheDatabaseNoLongerHas()
    {
        var database = await postgres.Cluster.CreateDatabaseAsync();
        var one = await PostgresConvergeStore.OpenAsync(database);
        var two = await PostgresConvergeStore.OpenAsync(database);
        _stores.AddRange([one, two]);
        await DeclareAsync(one, "a");
        await ExecuteAsync(database, "CREATE TABLE backup_streams AS SELECT * FROM cv_streams; CREATE TABLE backup_schema AS SELECT * FROM cv_schema");
        await DeclareAsync(one, "b");

        // The backup comes back while both nodes run; then the other node changes the schema as restored.
        await ExecuteAsync(database, "DELETE FROM cv_streams; INSERT INTO cv_streams SELECT * FROM backup_streams; DELETE FROM cv_schema; INSERT INTO cv_schema SELECT * FROM backup_schema");
        await DeclareAsync(two, "c");

        var check = await one.BeginWriteAsync("s");
        await using (check)
        {
            check.State.GetSchema().Collections.Keys.ShouldBe(["a", "c"]);
        }
    }

    /// <summary>Declares one more collection on stream "s" in a session of its own (nothing appended: the log stays empty).</summary>
    private static async Task DeclareAsync(PostgresConvergeStore store, string collection)
    {
        var session = await store.BeginWriteAsync("s");
        await using (session)
        {
            var schema = new Converge.Testing.ActionFactory(new Converge.Testing.FakeTimeProvider()).Schema("{\"" + collection + "\":" + """{"fields":{"name":{"type":"string"}}}}""");
            Core.Merge.MergeEngine.Apply(session.State, schema, new Core.Merge.ApplyContext("alice")).IsRejected.ShouldBeFalse();
            await session.CommitAsync();
        }
    }

    private static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }
}
