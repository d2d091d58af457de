using Converge.Testing;

namespace Converge.Cli.Tests.Commands;

/// <summary>Every command that takes <c>--replica</c> or <c>--db</c>, given a path it cannot use: one line naming the path, and nothing written.</summary>
public sealed class DatabasePathTests
{
    private const string Id = "019aa5e0-7c3b-7d2e-9a4f-0123456789ab";

    private static readonly string[][] ReplicaCommands =
    [
        ["schema", CliWorld.Schema], ["put", "person", "{}"], ["update", "person", Id, """{"name":"x"}"""], ["delete", "person", Id],
        ["get", "person", Id], ["query", "person"], ["sync"], ["status"], ["conflicts"], ["rejections"], ["log"], ["export"],
    ];

    [Fact]
    public async Task ReplicaCommands_OnADirectoryANonSqliteFileOrAServerDatabase_NameThePathAndWhatItIs()
    {
        await using var world = await CliWorld.StartAsync();
        var directory = world.Directory.File("folder.db");
        Directory.CreateDirectory(directory);
        var text = world.Directory.File("notes.txt");
        await File.WriteAllTextAsync(text, "not a database at all, just text that is long enough to be read as a header.");
        var server = ServerDatabase(world);
        var before = await world.OkAsync("export", "--db", server, "--stream", CliWorld.Stream);

        foreach (var command in ReplicaCommands)
        {
            (await world.FailsAsync(1, [command[0], "--replica", directory, .. command[1..]])).ShouldBe($"converge: {directory} is a directory, not a replica file.");
            (await world.FailsAsync(1, [command[0], "--replica", text, .. command[1..]])).ShouldBe($"converge: {text} is not a replica file: it is not a SQLite database.");
            (await world.FailsAsync(1, [command[0], "--replica", server, .. command[1..]])).ShouldBe($"converge: {server} is not a replica file: it is a server database (for --db).");
        }

        (await world.OkAsync("export", "--db", server, "--stream", CliWorld.Stream)).ShouldBe(before);
        TableNames(server).ShouldNotContain("cv_replica");
    }

    [Fact]
    public async Task Init_OnAPathItCannotUse_NamesIt_AndChangesNothing()
    {
        await using var world = await CliWorld.StartAsync();
        var directory = world.Directory.File("folder.db");
        Directory.CreateDirectory(directory);
        var text = world.Directory.File("notes.txt");
        await File.WriteAllTextAsync(text, "not a database at all, just text that is long enough to be read as a header.");
        var underAFile = Path.Combine(text, "r.db");
        var server = ServerDatabase(world);
        string[] rest = ["--server", world.Server, "--stream", CliWorld.Stream, "--token", world.Token];

        (await world.FailsAsync(1, ["init", "--replica", directory, .. rest])).ShouldBe($"converge: {directory} is a directory, not a replica file.");
        (await world.FailsAsync(1, ["init", "--replica", text, .. rest])).ShouldBe($"converge: {text} is not a replica file: it is not a SQLite database.");
        (await world.FailsAsync(1, ["init", "--replica", underAFile, .. rest])).ShouldBe($"converge: cannot create {underAFile}: {text} is a file, not a directory.");
        (await world.FailsAsync(1, ["init", "--replica", world.Directory.File("no/such/dir/r.db"), .. rest])).ShouldContain("there is no directory");
        (await world.FailsAsync(1, ["init", "--replica", server, .. rest])).ShouldBe($"converge: {server} is not a replica file: it is a server database (for --db).");

        TableNames(server).ShouldNotContain("cv_replica");
        (await File.ReadAllTextAsync(text)).ShouldStartWith("not a database");
    }

    [Fact]
    public async Task ServerCommands_OnADirectoryANonSqliteFileOrAReplica_NameThePathAndWhatItIs()
    {
        await using var world = await CliWorld.StartAsync();
        var directory = world.Directory.File("folder.db");
        Directory.CreateDirectory(directory);
        var text = world.Directory.File("notes.txt");
        await File.WriteAllTextAsync(text, "not a database at all, just text that is long enough to be read as a header.");
        var underAFile = Path.Combine(text, "s.db");
        var replica = await world.ReplicaAsync("r");
        var port = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[][] commands =
        [
            ["token", "create", "--create", "--stream", CliWorld.Stream, "--principal", "p", "--db"],
            ["export", "--stream", CliWorld.Stream, "--db"],
            ["serve", "--urls", $"http://127.0.0.1:{port}", "--db"],
        ];

        foreach (var command in commands)
        {
            (await world.FailsAsync(1, [.. command, directory])).ShouldBe($"converge: {directory} is a directory, not a server database.");
            (await world.FailsAsync(1, [.. command, text])).ShouldBe($"converge: {text} is not a server database: it is not a SQLite database.");
            (await world.FailsAsync(1, [.. command, replica])).ShouldBe($"converge: {replica} is not a server database: it is a replica file (for --replica).");
            (await world.FailsAsync(1, [.. command, underAFile])).ShouldContain(underAFile);
        }

        TableNames(replica).ShouldNotContain("cv_credentials");
        (await world.OkAsync("status", "--replica", replica)).ShouldContain("\"stream\":\"team\"");
    }

    [Fact]
    public async Task ServerDatabase_ThatAnOlderCliGaveReplicaTables_StillServes()
    {
        // Before these checks, converge status --replica server.db added the replica's tables to a server database.
        await using var world = await CliWorld.StartAsync();
        var server = world.Directory.File("server.db");
        await world.OkAsync("token", "create", "--db", server, "--create", "--stream", CliWorld.Stream, "--principal", "p");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={server};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE cv_replica (key TEXT PRIMARY KEY, value TEXT)";
            command.ExecuteNonQuery();
        }

        (await world.OkAsync("export", "--db", server, "--stream", CliWorld.Stream)).ShouldStartWith("{\"aliases\"");
        (await world.OkAsync("token", "create", "--db", server, "--stream", CliWorld.Stream, "--principal", "q")).ShouldStartWith("cvg_");
    }

    private static string ServerDatabase(CliWorld world) => ((Server.Sqlite.SqliteConvergeStore)world.Host.Store).Path;

    private static List<string> TableNames(string path)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
