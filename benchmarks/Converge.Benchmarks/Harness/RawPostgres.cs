using System.Diagnostics;
using Npgsql;

namespace Converge.Benchmarks.Harness;

/// <summary>The PostgreSQL baseline of B9: the same rows inserted by plain Npgsql, in transactions of the same size, from as many connections.</summary>
internal static class RawPostgres
{
    public static async Task<Measured> InsertAsync(string connectionString, int rows, int perTransaction, int workers, TimeSpan limit)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var create = dataSource.CreateCommand("CREATE TABLE IF NOT EXISTS items (id text PRIMARY KEY, body text NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var deadline = Deadline.In(limit);
        var transactions = rows / perTransaction;
        var next = -1;
        var done = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            int t;
            while ((t = Interlocked.Increment(ref next)) < transactions && !deadline.Passed)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await using var batch = new NpgsqlBatch(connection, transaction);
                for (var i = 0; i < perTransaction; i++)
                {
                    var command = new NpgsqlBatchCommand("INSERT INTO items (id, body) VALUES ($1, $2)");
                    command.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7().ToString("D") });
                    command.Parameters.Add(new NpgsqlParameter { Value = Workload.FieldsJson((t * perTransaction) + i) });
                    batch.BatchCommands.Add(command);
                }

                await batch.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
                Interlocked.Add(ref done, perTransaction);
            }
        }));
        return new Measured(done, Stopwatch.GetElapsedTime(started));
    }
}
