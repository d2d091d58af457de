namespace Converge.Server.Sqlite;

/// <summary>Options of the SQLite store.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The database file. Required; created with its tables when missing.</summary>
    public string Path { get; set; } = "converge-server.db";
}
