using Converge.Testing;

namespace Converge.Cli.Tests.Commands;

/// <summary>Mistakes on the command line that used to print an unexpected error, listen somewhere else, or succeed: one line each.</summary>
public sealed class UserMistakeTests
{
    [Fact]
    public async Task Serve_UrlsItCannotListenOn_OneLineExitTwo_AndNoServer()
    {
        await using var world = await CliWorld.StartAsync();
        var port = FreePort.Next();
        var database = world.Directory.File("s.db");

        // Before, '' listened on localhost:5000 and 'http://127.0.0.1:abc' on every interface at port 80.
        (await world.FailsAsync(2, "serve", "--db", database, "--urls", "")).ShouldBe("converge: --urls must name an address, such as http://127.0.0.1:5080.");
        (await world.FailsAsync(2, "serve", "--db", database, "--urls", "notaurl")).ShouldBe("converge: 'notaurl' is not an address to listen on: expected http://HOST:PORT, such as http://127.0.0.1:5080.");
        (await world.FailsAsync(2, "serve", "--db", database, "--urls", "http://127.0.0.1:abc")).ShouldContain("'http://127.0.0.1:abc' is not an address to listen on");
        (await world.FailsAsync(2, "serve", "--db", database, "--urls", "http://127.0.0.1:99999")).ShouldContain("'http://127.0.0.1:99999' is not an address to listen on");
        (await world.FailsAsync(2, "serve", "--db", database, "--urls", $"https://127.0.0.1:{port}")).ShouldBe($"converge: 'https://127.0.0.1:{port}': converge serve listens on http:// only (put a TLS proxy in front of it).");
        File.Exists(database).ShouldBeFalse();
    }

    [Fact]
    public async Task Postgres_NotAConnectionStringOrNotReachable_OneLine()
    {
        await using var world = await CliWorld.StartAsync();
        var closed = $"Host=127.0.0.1;Port={FreePort.Next()};Database=converge;Username=u;Password=secret;Timeout=3";

        (await world.FailsAsync(2, "serve", "--postgres", "garbage=;;")).ShouldBe("converge: --postgres is not a PostgreSQL connection string (such as \"Host=db;Database=converge;Username=u;Password=p\").");
        (await world.FailsAsync(2, "token", "create", "--postgres", "garbage=;;", "--stream", "s", "--principal", "p")).ShouldContain("--postgres is not a PostgreSQL connection string");
        var line = await world.FailsAsync(1, "serve", "--postgres", closed, "--urls", $"http://127.0.0.1:{FreePort.Next()}");
        line.ShouldStartWith("converge: cannot open the PostgreSQL store: ");
        line.ShouldContain("127.0.0.1");
        line.ShouldNotContain("secret");
    }

    [Fact]
    public async Task ExportFromTheServer_BadStreamName_OneLineExitTwo()
    {
        await using var world = await CliWorld.StartAsync();
        var server = ((Server.Sqlite.SqliteConvergeStore)world.Host.Store).Path;

        (await world.FailsAsync(2, "export", "--db", server, "--stream", "bad name")).ShouldContain("'bad name' is not a stream name");
    }

    [Fact]
    public async Task Get_UnknownCollection_SaysSo_NotThatTheRecordIsMissing()
    {
        await using var world = await CliWorld.StartAsync();
        var file = await world.ReplicaAsync("r");
        var id = await world.OkAsync("put", "--replica", file, "person", """{"name":"Ann"}""");

        (await world.FailsAsync(1, "get", "--replica", file, "persons", id)).ShouldBe("converge: the stream's schema has no collection 'persons'.");
    }

    [Fact]
    public async Task Schema_WrongShape_SaysWhereInTheJson_WithoutInternalTypeNames()
    {
        await using var world = await CliWorld.StartAsync();
        var file = await world.ReplicaAsync("r", withSchema: false);

        var line = await world.FailsAsync(2, "schema", "--replica", file, """{"collections":{"x":{"fields":{"a":{"type":5}}}}}""");

        line.ShouldBe("converge: the schema does not have the protocol's shape: $.collections.x.fields.a.type has the wrong type; expected {\"collections\": {\"NAME\": {\"fields\": {\"FIELD\": {\"type\": \"string\"}}}}}.");
        (await world.FailsAsync(2, "schema", "--replica", file, "[]")).ShouldContain("$ has the wrong type");
        (await world.FailsAsync(2, "put", "--replica", file, "person", "{\"name\":")).ShouldStartWith("converge: the JSON argument is not valid JSON: ");
    }
}
