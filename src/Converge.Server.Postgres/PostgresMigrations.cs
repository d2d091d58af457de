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
            await SplitInlineSetsAsync(connection, transaction, SplitPageRows, cancellationToken).ConfigureAwait(false);
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

    /// <summary>How many record rows <see cref="SplitInlineSetsAsync"/> holds and writes back at a time.</summary>
    internal const int SplitPageRows = 256;

    /// <summary>
    /// Splits every record row that still lists set elements ('"s":[' outside a string) into its header and element
    /// rows, a page of rows at a time in key order (each page read from where the last ended, split in a fresh state,
    /// written back in one round trip): a database of any size takes the memory of one page. A double set's element
    /// keyed <c>"-0"</c> by older versions is keyed <c>"0"</c> (<see cref="Core.Merge.NegativeZero"/>). Returns the pages read.
    /// </summary>
    internal static async Task<int> SplitInlineSetsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int pageRows, CancellationToken cancellationToken)
    {
        const string Select = "SELECT stream, collection, id, data FROM cv_records WHERE position('\"s\":['::bytea IN data) > 0";
        (string Stream, string Collection, Guid Id)? last = null;
        for (var pages = 1; ; pages++)
        {
            var rows = new List<(string Stream, string Collection, Guid Id, byte[] Data)>(pageRows);
            var select = last is { } after
                ? Command(connection, transaction, Select + " AND (stream, collection, id) > ($1, $2, $3) ORDER BY stream, collection, id LIMIT $4", after.Stream, after.Collection, after.Id, pageRows)
                : Command(connection, transaction, Select + " ORDER BY stream, collection, id LIMIT $1", pageRows);
            await using (select.ConfigureAwait(false))
            {
                var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        rows.Add((reader.GetString(0), reader.GetString(1), reader.GetGuid(2), (byte[])reader[3]));
                    }
                }
            }

            var batch = new NpgsqlBatch(connection, transaction);
            await using (batch.ConfigureAwait(false))
            {
                foreach (var stream in rows.GroupBy(r => r.Stream, StringComparer.Ordinal))
                {
                    var state = new PostgresRecordState(connection, transaction, stream.Key);
                    foreach (var row in stream)
                    {
                        var record = Core.Serialization.RecordJson.Deserialize(row.Data);
                        if (record.Fields.Values.Any(f => f is Core.State.SetState { Elements: not null }))
                        {
                            state.SetRecord(record.Key, Core.Merge.NegativeZero.Rekey(record, state.GetSchema()));
                        }
                    }

                    state.Flush(batch);
                }

                if (batch.BatchCommands.Count > 0)
                {
                    await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            if (rows.Count < pageRows)
            {
                return pages;
            }

            last = (rows[^1].Stream, rows[^1].Collection, rows[^1].Id);
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params object[] values) =>
        PostgresRecordState.Command(connection, transaction, sql, values);

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
