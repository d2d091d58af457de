using Converge.Server.Storage;
using Converge.Testing.Stores;

namespace Converge.Server.Postgres.Tests;

/// <summary>The store contract, unchanged, against the PostgreSQL store on a real cluster.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresConvergeStoreContractTests(PostgresFixture postgres) : ConvergeStoreContract, IAsyncLifetime
{
    private readonly List<PostgresConvergeStore> _stores = [];

    protected override async Task<IConvergeStore> CreateStoreAsync()
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

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }
}
