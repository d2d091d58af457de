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

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
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
