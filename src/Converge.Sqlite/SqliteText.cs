using Microsoft.Data.Sqlite;

namespace Converge.Sqlite;

/// <summary>Small helpers for running SQL text on a connection.</summary>
internal static class SqliteText
{
    /// <summary>How long a statement waits for another connection's lock before it fails with <c>SQLITE_BUSY</c>.</summary>
    public const int BusyTimeoutMilliseconds = 30_000;

    /// <summary>Runs SQL that returns nothing.</summary>
    public static void Execute(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs SQL that returns one value.</summary>
    public static object? Scalar(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Opens a connection to a database file with the pragmas and collations (<see cref="ConvergeCollations"/>) every Converge database uses.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="fullSync">True for <c>synchronous=FULL</c> (survives power loss), false for <c>NORMAL</c> (survives a crash of the app).</param>
    public static SqliteConnection Open(string path, bool fullSync)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            connection.Open();
            ConvergeCollations.Register(connection);
            Execute(connection, $"PRAGMA journal_mode=WAL; PRAGMA synchronous={(fullSync ? "FULL" : "NORMAL")}; PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA foreign_keys=ON;");
            return connection;
        }
        catch
        {
            // A file that is not a database fails at the first pragma: the handle must not stay open until a finalizer.
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Starts a read transaction (<c>BEGIN</c>), ended by disposing the result: one consistent view for every read in it.</summary>
    public static IDisposable BeginRead(SqliteConnection connection)
    {
        Execute(connection, "BEGIN");
        return new ReadTransaction(connection);
    }

    private sealed class ReadTransaction(SqliteConnection connection) : IDisposable
    {
        public void Dispose() => Execute(connection, "COMMIT");
    }
}
