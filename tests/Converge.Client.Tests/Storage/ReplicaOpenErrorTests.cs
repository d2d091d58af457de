using Converge.Core.Errors;
using Converge.Testing;
using Microsoft.Data.Sqlite;

namespace Converge.Client.Tests.Storage;

/// <summary>A file that cannot be opened as a replica fails with an exception naming the file, and is left as it was.</summary>
public sealed class ReplicaOpenErrorTests
{
    [Fact]
    public void Open_FileIsNotADatabase_CorruptReplicaNamingTheFile_FileUnchanged()
    {
        using var directory = new TempDirectory();
        var path = directory.File("notes.db");
        File.WriteAllText(path, "These are my notes, not a database. They are long enough to fill the first page of one.\n");
        var before = File.ReadAllBytes(path);

        var error = Should.Throw<CorruptReplicaException>(() => Replica.Open(new ReplicaOptions { Path = path, Stream = "team" }));

        error.File.ShouldBe(Path.GetFullPath(path));
        error.Message.ShouldBe($"{Path.GetFullPath(path)} is not a replica: it is not a SQLite database.");
        error.InnerException.ShouldBeOfType<SqliteException>();
        File.ReadAllBytes(path).ShouldBe(before);
    }

    [Fact]
    public async Task Open_FileWrittenByANewerVersion_CorruptReplicaSayingSo_FileUnchanged()
    {
        using var directory = new TempDirectory();
        var path = directory.File("r.db");
        await using (Replica.Open(new ReplicaOptions { Path = path, Stream = "team" }))
        {
        }

        const string Future = "Converge.Client.Sql.9999_future.sql";
        Execute(path, $"INSERT INTO cv_migrations (name, applied_at) VALUES ('{Future}', datetime('now'))");
        var tables = Tables(path);

        var error = Should.Throw<CorruptReplicaException>(() => Replica.Open(new ReplicaOptions { Path = path, Stream = "team" }));

        error.File.ShouldBe(Path.GetFullPath(path));
        error.Message.ShouldContain("was written by a newer version of Converge");
        error.Message.ShouldContain(Future);
        Tables(path).ShouldBe(tables);
    }

    [Fact]
    public void Open_FolderMissing_ReplicaUnavailableNamingTheFileAndTheOperation()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "no such folder", "r.db");

        var error = Should.Throw<ReplicaUnavailableException>(() => Replica.Open(new ReplicaOptions { Path = path, Stream = "team" }));

        error.File.ShouldBe(Path.GetFullPath(path));
        error.Operation.ShouldBe("open");
        error.Message.ShouldStartWith($"Cannot open {Path.GetFullPath(path)}: ");
        error.InnerException.ShouldBeOfType<SqliteException>();
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<string> Tables(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM cv_migrations ORDER BY name";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
