using Microsoft.Data.Sqlite;

namespace Converge.Cli;

/// <summary>
/// Looks at a database path read-only before a command opens it, so that a mistake is one line naming the path and a
/// replica is never migrated into a server database (or the other way round): both open any SQLite file and add their tables.
/// </summary>
internal static class DatabaseFile
{
    private const int NotADatabase = 26; // SQLITE_NOTADB

    /// <summary>What <paramref name="path"/> holds.</summary>
    public static DatabaseKind Inspect(string path)
    {
        if (Directory.Exists(path))
        {
            return DatabaseKind.Directory;
        }

        if (!File.Exists(path))
        {
            return DatabaseKind.Missing;
        }

        var tables = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode == NotADatabase)
        {
            return DatabaseKind.NotSqlite;
        }
        catch (SqliteException e)
        {
            throw new CliException($"cannot open {path}: {e.Message}");
        }

        return (tables.Contains("cv_replica"), tables.Contains("cv_credentials")) switch
        {
            _ when tables.Count == 0 => DatabaseKind.Empty,
            (true, false) => DatabaseKind.Replica,
            (false, true) => DatabaseKind.Server,
            (true, true) => DatabaseKind.Mixed,
            _ => DatabaseKind.Other,
        };
    }

    /// <summary>Throws unless <paramref name="path"/> is a replica (<paramref name="orNew"/>: or nothing yet, to be created).</summary>
    public static void RequireReplica(string path, bool orNew = false) => Require(
        path,
        "--replica",
        DatabaseKind.Replica,
        "replica file",
        DatabaseKind.Server,
        "a server database (for --db)",
        orNew,
        $"no replica at {path}: create one with converge init --replica {path} --server URL --stream S --token T.");

    /// <summary>Throws unless <paramref name="path"/> is a server database (or, when <paramref name="create"/>, nothing yet).</summary>
    public static void RequireServer(string path, bool create, string missingHint = ".") => Require(
        path,
        "--db",
        DatabaseKind.Server,
        "server database",
        DatabaseKind.Replica,
        "a replica file (for --replica)",
        create,
        $"no server database at {path}{missingHint}");

    /// <summary>Throws unless the file is of kind <paramref name="own"/> (or a mixed file), or nothing yet when <paramref name="orNew"/>.</summary>
    private static void Require(string path, string option, DatabaseKind own, string noun, DatabaseKind other, string otherText, bool orNew, string missing)
    {
        var kind = Inspect(Named(path, option));
        var problem = kind switch
        {
            _ when kind == own || kind == DatabaseKind.Mixed => null,
            DatabaseKind.Missing or DatabaseKind.Empty when orNew => kind == DatabaseKind.Missing ? Creatable(path) : null,
            DatabaseKind.Missing or DatabaseKind.Empty => missing,
            DatabaseKind.Directory => $"{path} is a directory, not a {noun}.",
            DatabaseKind.NotSqlite => $"{path} is not a {noun}: it is not a SQLite database.",
            _ when kind == other => $"{path} is not a {noun}: it is {otherText}.",
            _ => $"{path} is not a {noun}: it holds other tables.",
        };
        if (problem is not null)
        {
            throw new CliException(problem);
        }
    }

    private static string Named(string path, string option) =>
        string.IsNullOrWhiteSpace(path) ? throw new CliException($"{option} must name a file.", ExitCodes.Usage) : path;

    /// <summary>Null when a new file can be made at <paramref name="path"/>, else why not.</summary>
    private static string? Creatable(string path)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(path));
        return parent is null || Directory.Exists(parent) ? null
            : File.Exists(parent) ? $"cannot create {path}: {parent} is a file, not a directory."
            : $"cannot create {path}: there is no directory {parent}.";
    }
}
