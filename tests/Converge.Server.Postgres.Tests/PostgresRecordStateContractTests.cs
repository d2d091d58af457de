using Converge.Core.Merge;
using Converge.Testing.State;
using Npgsql;

namespace Converge.Server.Postgres.Tests;

/// <summary>
/// The record-state contract, against the PostgreSQL tables on a real cluster: reads from the session's cache, then,
/// reopened, from the rows its batch wrote (flushed in the same transaction, read by a new state).
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresRecordStateContractTests(PostgresFixture postgres) : RecordStateContract, IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly Dictionary<IRecordState, (NpgsqlConnection Connection, NpgsqlTransaction Transaction)> _sessions = [];

    internal override async Task<IRecordState> CreateStateAsync()
    {
        var database = await postgres.Cluster.CreateDatabaseAsync();
        // The store's migrations make the tables.
        await (await PostgresConvergeStore.OpenAsync(database)).DisposeAsync();
        var connection = new NpgsqlConnection(database);
        _owned.Add(connection);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        _owned.Add(transaction);
        var state = new PostgresRecordState(connection, transaction, "s");
        _sessions[state] = (connection, transaction);
        return state;
    }

    internal override async Task<IRecordState> ReopenAsync(IRecordState state)
    {
        var (connection, transaction) = _sessions[state];
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            ((PostgresRecordState)state).Flush(batch);
            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync();
            }
        }

        var reopened = new PostgresRecordState(connection, transaction, "s");
        _sessions[reopened] = (connection, transaction);
        return reopened;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _owned.Reverse();
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }
}
