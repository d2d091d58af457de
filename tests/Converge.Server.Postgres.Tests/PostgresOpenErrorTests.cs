using Converge.Core.Errors;
using Converge.Testing;
using Npgsql;

namespace Converge.Server.Postgres.Tests;

/// <summary>A store that cannot be opened says which step failed and where, never the password, with the driver's error inside.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresOpenErrorTests(PostgresFixture postgres)
{
    [Fact]
    public async Task OpenAsync_NothingListens_StoreUnavailableNamingTheConnectStep_WithoutThePassword()
    {
        var closed = $"Host=127.0.0.1;Port={FreePort.Next()};Database=converge;Username=u;Password=secret;Timeout=3";

        var error = await Should.ThrowAsync<StoreUnavailableException>(() => PostgresConvergeStore.OpenAsync(closed));

        error.Operation.ShouldBe("connect");
        error.Store.ShouldContain("127.0.0.1");
        error.Store.ShouldNotContain("secret");
        error.Message.ShouldNotContain("secret");
        error.Message.ShouldStartWith("Cannot connect to the PostgreSQL store");
        error.InnerException.ShouldBeAssignableTo<NpgsqlException>();
    }

    [Fact]
    public async Task OpenAsync_TablesCannotBeMigrated_StoreUnavailableNamingTheMigrateStep()
    {
        var database = await postgres.Cluster.CreateDatabaseAsync();

        // A table of that name that is not the store's: the migrations cannot read it.
        await Sql.ExecuteAsync(database, "CREATE TABLE cv_migrations (something int)");

        var error = await Should.ThrowAsync<StoreUnavailableException>(() => PostgresConvergeStore.OpenAsync(database));

        error.Operation.ShouldBe("migrate");
        error.Message.ShouldStartWith("Cannot migrate the PostgreSQL store's tables");
        error.InnerException.ShouldBeOfType<PostgresException>();
    }
}
