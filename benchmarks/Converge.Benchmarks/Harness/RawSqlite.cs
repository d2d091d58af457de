using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Converge.Benchmarks.Harness;

/// <summary>
/// The baselines: plain SQLite doing the same durable work as Converge (the same rows, the same pragmas, the same
/// transaction sizes), with Microsoft.Data.Sqlite and a prepared statement. Nothing else: no log, no merge, no journal.
/// </summary>
internal static class RawSqlite
{
    /// <summary>
    /// Inserts <paramref name="rows"/> rows (UUIDv7 id, the workload's JSON) in transactions of
    /// <paramref name="perTransaction"/>, WAL with <c>synchronous=FULL</c> or <c>NORMAL</c>; stops early at the limit.
    /// </summary>
    public static Measured Insert(string path, int rows, int perTransaction, bool fullSync, TimeSpan limit)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, $"PRAGMA journal_mode=WAL; PRAGMA synchronous={(fullSync ? "FULL" : "NORMAL")}; PRAGMA busy_timeout=30000;");
        Execute(connection, "CREATE TABLE IF NOT EXISTS items (id TEXT NOT NULL PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID");
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO items (id, body) VALUES ($i, $b)";
        var id = insert.Parameters.Add("$i", SqliteType.Text);
        var body = insert.Parameters.Add("$b", SqliteType.Text);
        insert.Prepare();
        var deadline = Deadline.In(limit);
        var started = Stopwatch.GetTimestamp();
        var done = 0;
        while (done < rows && !deadline.Passed)
        {
            Execute(connection, "BEGIN IMMEDIATE");
            var end = Math.Min(rows, done + perTransaction);
            for (; done < end; done++)
            {
                id.Value = Guid.CreateVersion7().ToString("D");
                body.Value = Workload.FieldsJson(done);
                insert.ExecuteNonQuery();
            }

            Execute(connection, "COMMIT");
        }

        return new Measured(done, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Copies a file and flushes the copy to disk: the floor for loading a database of that size.</summary>
    public static TimeSpan CopyFile(string source, string target)
    {
        var started = Stopwatch.GetTimestamp();
        using (var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20))
        using (var to = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        {
            from.CopyTo(to, 1 << 20);
            to.Flush(flushToDisk: true);
        }

        return Stopwatch.GetElapsedTime(started);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
