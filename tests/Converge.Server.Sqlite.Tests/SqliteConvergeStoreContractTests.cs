using Converge.Server.Sqlite;
using Converge.Server.Storage;
using Converge.Testing;
using Converge.Testing.Stores;

namespace Converge.Server.Sqlite.Tests;

/// <summary>The store contract, against the SQLite store on a real file.</summary>
public sealed class SqliteConvergeStoreContractTests : ConvergeStoreContract, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly List<SqliteConvergeStore> _stores = [];

    internal override Task<IConvergeStore> CreateStoreAsync()
    {
        var store = new SqliteConvergeStore(_directory.File($"store-{_stores.Count}.db"));
        _stores.Add(store);
        return Task.FromResult<IConvergeStore>(store);
    }

    [Fact]
    public async Task Reopen_AfterCommit_KeepsEverything()
    {
        var path = _directory.File("reopen.db");
        using (var store = new SqliteConvergeStore(path))
        {
            await AppendAsync(store, "s", 3);
        }

        using var reopened = new SqliteConvergeStore(path);
        (await reopened.ReadAsync("s", 0, 10)).Head.ShouldBe(3);
    }

    [Fact]
    public void Open_UsesWalAndFullSync()
    {
        using var store = new SqliteConvergeStore(_directory.File("pragmas.db"));
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={store.Path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        command.ExecuteScalar().ShouldBe("wal");
    }

    [Fact]
    public async Task Migration_ClientRowFromBeforeBindings_IsOwnedByThePrincipalOfItsLastVisit()
    {
        var path = _directory.File("before-owners.db");
        var client = Guid.CreateVersion7();
        var seen = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        new SqliteConvergeStore(path).Dispose();
        // The file as the previous version left it: no owner column, one registered client.
        Execute(path, $"""
            ALTER TABLE cv_clients DROP COLUMN owner;
            DELETE FROM cv_migrations WHERE name = 'Converge.Server.Sqlite.Sql.0003_client_owner.sql';
            INSERT INTO cv_clients (stream, client_id, principal, cursor, last_seen) VALUES ('s', '{client:D}', 'alice', 4, '2026-11-21T12:00:00.0000000Z');
            """);

        using var store = new SqliteConvergeStore(path);

        // Another member of the stream saw the id in a pulled log: it may not claim it.
        (await store.BindClientAsync("s", client, "bob", seen.AddMinutes(1))).ShouldBe("alice");
        (await store.BindClientAsync("s", client, "alice", seen.AddMinutes(2))).ShouldBe("alice");
        var info = (await store.ListClientsAsync("s")).ShouldHaveSingleItem();
        info.Principal.ShouldBe("alice");
        info.Cursor.ShouldBe(4);
        info.LastSeen.ShouldBe(seen);
    }

    [Fact]
    public async Task Push_AfterTheFirst_TakesTheSchemaFromMemory_NotFromTheFile()
    {
        var path = _directory.File("schema-cache.db");
        using var store = new SqliteConvergeStore(path);
        await AppendAsync(store, "s", 2);

        // What the file says is now unreadable: only a push that reads the schema again would notice.
        Execute(path, "UPDATE cv_schema SET body = x'7B' WHERE stream = 's'");
        await AppendAsync(store, "s", 3);

        (await store.ReadAsync("s", 0, 10)).Head.ShouldBe(5);
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _stores.ForEach(s => s.Dispose());
        _directory.Dispose();
    }
}
