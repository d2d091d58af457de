using System.Text.Json;
using System.Text.RegularExpressions;

namespace Converge.Cli.Tests.Commands;

/// <summary>Every replica command, against a real server: its output, its exit code, and its error path.</summary>
public sealed partial class ReplicaCommandTests
{
    [Fact]
    public async Task Init_CreatesAReplica_AndRefusesABadServerOrAnotherStream()
    {
        await using var world = await CliWorld.StartAsync();
        var file = world.Directory.File("r.db");

        (await world.OkAsync("init", "--replica", file, "--server", world.Server, "--stream", CliWorld.Stream, "--token", world.Token)).ShouldStartWith("Initialized ");

        (await world.FailsAsync(2, "init", "--replica", world.Directory.File("x.db"), "--server", "not a url", "--stream", "s", "--token", "t")).ShouldContain("not a server address");
        (await world.FailsAsync(1, "init", "--replica", file, "--server", world.Server, "--stream", "other", "--token", world.Token)).ShouldContain("holds stream 'team'");
        (await world.FailsAsync(2, "init", "--replica", file)).ShouldContain("--server");
    }

    [Fact]
    public async Task Put_PrintsTheIdAndNothingElse_AndRejectionsFailWithTheCode()
    {
        await using var world = await CliWorld.StartAsync();
        var file = await world.ReplicaAsync("r");

        var id = await world.OkAsync("put", "--replica", file, "person", """{"name":"Ann"}""");
        var chosen = await world.OkAsync("put", "--replica", file, "person", """{"name":"Bob"}""", "--id", "019aa5e0-7c3b-7d2e-9a4f-0123456789ab");

        UuidPattern().IsMatch(id).ShouldBeTrue(id);
        chosen.ShouldBe("019aa5e0-7c3b-7d2e-9a4f-0123456789ab");
        (await world.FailsAsync(1, "put", "--replica", file, "animal", "{}")).ShouldContain("unknown_collection");
        (await world.FailsAsync(2, "put", "--replica", file, "person", "{not json")).ShouldContain("not valid JSON");
        (await world.FailsAsync(2, "put", "--replica", file, "person", "[1]")).ShouldContain("object");
        (await world.FailsAsync(1, "put", "--replica", world.Directory.File("missing.db"), "person", "{}")).ShouldContain("no replica");
        (await world.FailsAsync(2, "put", "person", "{}")).ShouldContain("--replica");
    }

    [Fact]
    public async Task UpdateDeleteGetQuery_ReadAndWrite_AndFailClearly()
    {
        await using var world = await CliWorld.StartAsync();
        var file = await world.ReplicaAsync("r");
        var id = await world.OkAsync("put", "--replica", file, "person", """{"name":"Ann"}""");

        UuidPattern().IsMatch(await world.OkAsync("update", "--replica", file, "person", id, """{"name":"Annie"}""")).ShouldBeTrue();
        (await world.OkAsync("get", "--replica", file, "person", id)).ShouldBe($$"""{"id":"{{id}}","name":"Annie"}""");
        (await world.OkAsync("query", "--replica", file, "person")).ShouldBe($$"""[{"id":"{{id}}","name":"Annie"}]""");
        UuidPattern().IsMatch(await world.OkAsync("delete", "--replica", file, "person", id)).ShouldBeTrue();
        (await world.OkAsync("query", "--replica", file, "person")).ShouldBe("[]");

        (await world.FailsAsync(1, "get", "--replica", file, "person", id)).ShouldContain("no record");
        (await world.FailsAsync(2, "get", "--replica", file, "person", "nope")).ShouldContain("not a record id");
        (await world.FailsAsync(1, "update", "--replica", file, "person", Guid.CreateVersion7().ToString(), """{"name":"x"}""")).ShouldContain("not_found");
        (await world.FailsAsync(2, "update", "--replica", file, "person", id, "{}")).ShouldContain("at least one field");
        (await world.FailsAsync(1, "delete", "--replica", file, "person", Guid.CreateVersion7().ToString())).ShouldContain("not_found");
        (await world.FailsAsync(1, "query", "--replica", file, "animal")).ShouldContain("no collection 'animal'");
    }

    [Fact]
    public async Task Schema_AddsAndRefusesChanges()
    {
        await using var world = await CliWorld.StartAsync();
        var file = await world.ReplicaAsync("r", withSchema: false);

        UuidPattern().IsMatch(await world.OkAsync("schema", "--replica", file, CliWorld.Schema)).ShouldBeTrue();
        (await world.FailsAsync(1, "schema", "--replica", file, """{"collections":{"person":{"fields":{"name":{"type":"long"}}}}}""")).ShouldContain("schema_conflict");
        (await world.FailsAsync(2, "schema", "--replica", file, """{"collections":{"person":{"fields":{"name":{"type":"text"}}}}}""")).ShouldContain("invalid_schema");
        (await world.FailsAsync(2, "schema", "--replica", file, "{")).ShouldContain("the schema is not valid JSON");
    }

    [Fact]
    public async Task SyncStatusLogExport_ReportInJson_AndTwoReplicasConvergeWithTheServer()
    {
        await using var world = await CliWorld.StartAsync();
        var one = await world.ReplicaAsync("one");
        var two = await world.ReplicaAsync("two", withSchema: false);
        await world.OkAsync("put", "--replica", one, "person", """{"name":"Ann"}""");

        using (var report = JsonDocument.Parse(await world.OkAsync("sync", "--replica", one, "--json")))
        {
            report.RootElement.GetProperty("kind").GetString().ShouldBe("pushed-only");
            report.RootElement.GetProperty("accepted").GetArrayLength().ShouldBe(2);
            report.RootElement.GetProperty("cursor").GetInt64().ShouldBe(2);
        }

        using (var report = JsonDocument.Parse(await world.OkAsync("sync", "--replica", two)))
        {
            report.RootElement.GetProperty("kind").GetString().ShouldBe("pulled-only");
            report.RootElement.GetProperty("pulled").GetInt32().ShouldBe(2);
        }

        using (var status = JsonDocument.Parse(await world.OkAsync("status", "--replica", two)))
        {
            status.RootElement.GetProperty("cursor").GetInt64().ShouldBe(2);
            status.RootElement.GetProperty("pending").GetInt64().ShouldBe(0);
            status.RootElement.GetProperty("lastSyncKind").GetString().ShouldBe("pulled-only");
        }

        using (var log = JsonDocument.Parse(await world.OkAsync("log", "--replica", two)))
        {
            log.RootElement.EnumerateArray().Select(e => e.GetProperty("index").GetInt64()).ShouldBe([1L, 2L]);
        }

        var server = await world.OkAsync("export", "--db", world.Host.Store is Server.Sqlite.SqliteConvergeStore s ? s.Path : "", "--stream", CliWorld.Stream);
        (await world.OkAsync("export", "--replica", one)).ShouldBe(server);
        (await world.OkAsync("export", "--replica", two)).ShouldBe(server);
        server.ShouldContain("\"name\":\"Ann\"");
    }

    [Fact]
    public async Task Sync_ServerUnreachable_FailsWithOneLine()
    {
        await using var world = await CliWorld.StartAsync();
        var file = world.Directory.File("r.db");
        await world.OkAsync("init", "--replica", file, "--server", $"http://127.0.0.1:{Testing.FreePort.Next()}", "--stream", CliWorld.Stream, "--token", world.Token);

        (await world.FailsAsync(1, "sync", "--replica", file)).ShouldContain("sync failed");
        (await world.FailsAsync(1, "status", "--replica", world.Directory.File("none.db"))).ShouldContain("no replica");
    }

    [Fact]
    public async Task ConflictsAndRejections_ShowWhatLost()
    {
        await using var world = await CliWorld.StartAsync();
        var one = await world.ReplicaAsync("one");
        var two = await world.ReplicaAsync("two");
        var id = await world.OkAsync("put", "--replica", one, "person", """{"name":"Ann","email":"ann@example.com"}""");
        await world.OkAsync("sync", "--replica", one);
        await world.OkAsync("sync", "--replica", two);
        await world.OkAsync("update", "--replica", two, "person", id, """{"name":"older"}""");
        await Task.Delay(20);
        await world.OkAsync("update", "--replica", one, "person", id, """{"name":"newer"}""");
        await world.OkAsync("put", "--replica", two, "person", """{"email":"bob@example.com"}""");
        await world.OkAsync("put", "--replica", one, "person", """{"email":"bob@example.com"}""");
        await world.OkAsync("sync", "--replica", one);

        using var report = JsonDocument.Parse(await world.OkAsync("sync", "--replica", two));
        using var conflicts = JsonDocument.Parse(await world.OkAsync("conflicts", "--replica", two));
        using var rejections = JsonDocument.Parse(await world.OkAsync("rejections", "--replica", two));

        report.RootElement.GetProperty("rejected").GetArrayLength().ShouldBe(1);
        var conflict = conflicts.RootElement.EnumerateArray().ShouldHaveSingleItem();
        conflict.GetProperty("field").GetString().ShouldBe("name");
        conflict.GetProperty("attempted").GetString().ShouldBe("older");
        conflict.GetProperty("winning").GetString().ShouldBe("newer");
        var rejection = rejections.RootElement.EnumerateArray().ShouldHaveSingleItem();
        rejection.GetProperty("code").GetString().ShouldBe("unique_violation");
        rejection.GetProperty("action").GetProperty("kind").GetString().ShouldBe("create");
    }

    [Fact]
    public async Task ReadingCommands_OnAMissingOrForeignFile_FailWithOneLine()
    {
        await using var world = await CliWorld.StartAsync();
        var missing = world.Directory.File("missing.db");
        var foreign = world.Directory.File("foreign.db");
        await File.WriteAllTextAsync(foreign, "not a database at all, just text that is long enough to be read as a header.");

        foreach (var command in new[] { "conflicts", "rejections", "log", "status" })
        {
            (await world.FailsAsync(1, command, "--replica", missing)).ShouldContain("no replica");
            (await world.FailsAsync(1, command, "--replica", foreign)).ShouldContain("not a replica file");
        }

        (await world.FailsAsync(1, "export", "--replica", missing)).ShouldContain("no replica");
        (await world.FailsAsync(2, "export", "--replica", missing, "--db", missing)).ShouldContain("not both");
        (await world.FailsAsync(2, "export", "--db", missing)).ShouldContain("--stream");
        (await world.FailsAsync(1, "export", "--db", missing, "--stream", "s")).ShouldContain("no server database");
    }

    [Fact]
    public async Task UnknownCommandOrMissingOption_IsOneLineAndExitTwo()
    {
        await using var world = await CliWorld.StartAsync();

        (await world.FailsAsync(2, "frobnicate")).ShouldContain("frobnicate");
        (await world.FailsAsync(2, "export")).ShouldContain("--replica");
        (await world.FailsAsync(2, "token", "create", "--db", "x.db", "--stream", "bad name", "--principal", "p")).ShouldContain("stream name");
    }

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex UuidPattern();
}
