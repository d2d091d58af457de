using Converge.Benchmarks.Harness;
using Microsoft.Data.Sqlite;

namespace Converge.Benchmarks.Queries;

/// <summary>
/// Q5: disk bytes per record of the replica file against the raw SQLite file with the same rows and indexes, both
/// checkpointed (the replica closed, so its WAL is folded in): first with the local writes alone (their pending
/// actions queued), then after a sync pushed them to the in-process server (the headline figure). Where the
/// SQLite build has <c>dbstat</c>, the bytes of each table and index are reported too.
/// </summary>
internal sealed class QueryDiskScenario : IScenario
{
    public string Id => "Q5";

    public string Title => "disk bytes per record";

    public async Task<BenchResult> RunAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = await QueryFixture.GetAsync(context);
        var (rawBytes, rawUsed) = data.Raw.Checkpoint();
        var details = new Dictionary<string, double>();
        var records = (double)data.Count;
        if (!data.Synced)
        {
            await MeasureAsync(data, details, "local.", records);
            var sync = await data.SyncAsync();
            details["syncSeconds"] = sync.TotalSeconds;
        }

        var (bytes, used) = await MeasureAsync(data, details, "", records);
        details["rawFileBytesPerRecord"] = rawBytes / records;
        details["rawUsedBytesPerRecord"] = rawUsed / records;
        details["usedRatio"] = (double)used / rawUsed;
        var ratio = (double)bytes / rawBytes;
        return new BenchResult(Id, Title, bytes / records, "B/record", ratio, $"{data.Count:N0} records")
        {
            RatioMeaning = "replica file bytes / raw SQLite file bytes, after the sync (local.* before it)",
            Target = "ratio <= 2",
            MeetsTarget = ratio <= 2,
            Details = details,
            Note = "files checkpointed, not vacuumed (used* counts pages in use); table.* and local.table.* are dbstat bytes per record",
        };
    }

    /// <summary>Closes the replica, measures its file (and each table's pages), and opens it again.</summary>
    private static async Task<(long Bytes, long Used)> MeasureAsync(QueryFixture data, Dictionary<string, double> details, string prefix, double records)
    {
        await data.CloseAsync();
        long bytes, used;
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = data.ReplicaPath, Pooling = false }.ToString()))
        {
            connection.Open();
            Scalar(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
            bytes = new FileInfo(data.ReplicaPath).Length;
            used = Scalar(connection, "PRAGMA page_size") * (Scalar(connection, "PRAGMA page_count") - Scalar(connection, "PRAGMA freelist_count"));
            try
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    details[$"{prefix}table.{reader.GetString(0)}"] = reader.GetInt64(1) / records;
                }
            }
            catch (SqliteException)
            {
                // No dbstat in this SQLite build: the file totals stand alone.
            }
        }

        details[prefix + "fileBytesPerRecord"] = bytes / records;
        details[prefix + "usedBytesPerRecord"] = used / records;
        data.Reopen();
        return (bytes, used);
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
