using Converge.Core.Errors;
using Converge.Sqlite;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Converge.Client.Storage;

/// <summary>What a SQLite error met while opening a replica file means to the user: a file that is no replica, or one that cannot be used now.</summary>
internal static class ReplicaFileErrors
{
    private const string Opening = "open";

    /// <summary>The exception for <paramref name="error"/>, met opening <paramref name="file"/>; the SQLite error is kept inside.</summary>
    public static ConvergeException Open(string file, SqliteException error) => error.SqliteErrorCode switch
    {
        raw.SQLITE_NOTADB => new CorruptReplicaException(file, $"{file} is not a replica: it is not a SQLite database.", error),
        raw.SQLITE_CORRUPT => new CorruptReplicaException(file, $"{file} is damaged ({error.Message}): restore it from a backup, or move it aside and open a new replica, which loads the stream again (writes it had not synced are lost).", error),
        raw.SQLITE_BUSY or raw.SQLITE_LOCKED => new ReplicaUnavailableException(file, Opening, $"Cannot open {file}: another process held it locked for longer than {SqliteText.BusyTimeoutMilliseconds / 1000} s.", error),
        _ => new ReplicaUnavailableException(file, Opening, $"Cannot open {file}: {error.Message}", error),
    };

    /// <summary>Throws unless this build knows every migration the file records: a newer version's file is left as it is.</summary>
    public static void RequireKnownVersion(SqliteConnection connection, string file)
    {
        var unknown = SqliteMigrations.Unknown(connection, typeof(ReplicaFileErrors).Assembly, ReplicaFile.MigrationPrefix);
        if (unknown.Count > 0)
        {
            throw new CorruptReplicaException(file, $"{file} was written by a newer version of Converge (it records {string.Join(", ", unknown)}): open it with that version or a later one.");
        }
    }
}
