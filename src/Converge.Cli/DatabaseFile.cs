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
    public static void RequireReplica(string path, bool orNew = false)
    {
        var kind = Inspect(Named(path, "--replica"));
        var problem = kind switch
        {
            DatabaseKind.Replica or DatabaseKind.Mixed => null,
            DatabaseKind.Missing or DatabaseKind.Empty when orNew => kind == DatabaseKind.Missing ? Creatable(path) : null,
            DatabaseKind.Missing or DatabaseKind.Empty => $"no replica at {path}: create one with converge init --replica {path} --server URL --stream S --token T.",
            DatabaseKind.Directory => $"{path} is a directory, not a replica file.",
            DatabaseKind.NotSqlite => $"{path} is not a replica file: it is not a SQLite database.",
            DatabaseKind.Server => $"{path} is not a replica file: it is a server database (for --db).",
            _ => $"{path} is not a replica file: it holds other tables.",
        };
        if (problem is not null)
        {
            throw new CliException(problem);
        }
    }

    /// <summary>Throws unless <paramref name="path"/> is a server database (or, when <paramref name="create"/>, nothing yet).</summary>
    public static void RequireServer(string path, bool create, string missingHint)
    {
        var kind = Inspect(Named(path, "--db"));
        var problem = kind switch
        {
            DatabaseKind.Server or DatabaseKind.Mixed => null,
            DatabaseKind.Missing or DatabaseKind.Empty when create => kind == DatabaseKind.Missing ? Creatable(path) : null,
            DatabaseKind.Missing or DatabaseKind.Empty => $"no server database at {path}{missingHint}",
            DatabaseKind.Directory => $"{path} is a directory, not a server database.",
            DatabaseKind.NotSqlite => $"{path} is not a server database: it is not a SQLite database.",
            DatabaseKind.Replica => $"{path} is not a server database: it is a replica file (for --replica).",
            _ => $"{path} is not a server database: it holds other tables.",
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
