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

    protected override Task<IConvergeStore> CreateStoreAsync()
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

    public void Dispose()
    {
        _stores.ForEach(s => s.Dispose());
        _directory.Dispose();
    }
}
