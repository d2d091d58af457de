using System.Reflection;
using Npgsql;

namespace Converge.Server.Postgres;

/// <summary>Applies the store's versioned <c>.sql</c> scripts once each, in name order; nodes starting together take turns.</summary>
internal static class PostgresMigrations
{
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(7419002611)", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS cv_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken).ConfigureAwait(false);
        var assembly = typeof(PostgresMigrations).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Converge.Server.Postgres.Sql.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var check = new NpgsqlCommand("SELECT 1 FROM cv_migrations WHERE name = $1", connection, transaction) { Parameters = { new() { Value = name } } };
            await using var checkScope = check.ConfigureAwait(false);
            if (await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            await ExecuteAsync(connection, transaction, Read(assembly, name), cancellationToken).ConfigureAwait(false);
            var record = new NpgsqlCommand("INSERT INTO cv_migrations (name) VALUES ($1)", connection, transaction) { Parameters = { new() { Value = name } } };
            await using var recordScope = record.ConfigureAwait(false);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!await AppliedAsync(connection, transaction, InlineSets, cancellationToken).ConfigureAwait(false))
        {
            await SplitInlineSetsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            var record = new NpgsqlCommand("INSERT INTO cv_migrations (name) VALUES ($1)", connection, transaction) { Parameters = { new() { Value = InlineSets } } };
            await using var recordScope = record.ConfigureAwait(false);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The code step that moves set elements older databases kept inside records into <c>cv_elements</c>.</summary>
    private const string InlineSets = "Converge.Server.Postgres.Code.0004_set_elements";

    private static async Task<bool> AppliedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string name, CancellationToken cancellationToken)
    {
        var check = new NpgsqlCommand("SELECT 1 FROM cv_migrations WHERE name = $1", connection, transaction) { Parameters = { new() { Value = name } } };
        await using var checkScope = check.ConfigureAwait(false);
        return await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>Splits every record row that still lists set elements ('"s":[' outside a string) into its header and element rows.</summary>
    private static async Task SplitInlineSetsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var rows = new List<(string Stream, byte[] Data)>();
        var select = new NpgsqlCommand("SELECT stream, data FROM cv_records WHERE position('\"s\":['::bytea IN data) > 0 ORDER BY stream, collection, id", connection, transaction);
        await using (select.ConfigureAwait(false))
        {
            var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add((reader.GetString(0), (byte[])reader[1]));
                }
            }
        }

        foreach (var stream in rows.GroupBy(r => r.Stream))
        {
            var state = new PostgresRecordState(connection, transaction, stream.Key);
            foreach (var (_, data) in stream)
            {
                var record = Core.Serialization.RecordJson.Deserialize(data);
                if (record.Fields.Values.Any(f => f is Core.State.SetState { Elements: not null }))
                {
                    state.SetRecord(record.Key, record);
                }
            }

            var batch = new NpgsqlBatch(connection, transaction);
            await using (batch.ConfigureAwait(false))
            {
                state.Flush(batch);
                if (batch.BatchCommands.Count > 0)
                {
                    await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        await using var commandScope = command.ConfigureAwait(false);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
