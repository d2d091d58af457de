using System.Text.Json;

namespace Converge.Cli.Tests.Commands;

/// <summary><c>converge query</c> with <c>--where</c>, <c>--order</c>, <c>--skip</c> and <c>--limit</c>, through the real process.</summary>
public sealed class QueryCommandTests
{
    private const string Schema = """
        {"collections":{"todo":{"fields":{"title":{"type":"string"},"done":{"type":"bool"},"due":{"type":"instant"},
         "priority":{"type":"long"},"price":{"type":"decimal"},"tags":{"type":"string","cardinality":"many"}}}}}
        """;

    [Fact]
    public async Task Query_WhereOrderSkipLimit_FilterSortAndPageInTheFieldsOrder()
    {
        await using var world = await CliWorld.StartAsync();
        var file = await TodosAsync(world);

        // due<... compares instants by value, whatever their offset: 12:30+02:00 is 10:30Z.
        (await TitlesAsync(world, file, "--where", "done=false and due<2026-12-01T11:00:00Z", "--order", "due")).ShouldBe(["b", "a"]);
        (await TitlesAsync(world, file, "--where", "priority>=2", "--order", "priority:desc,title")).ShouldBe(["d", "a", "c"]);
        (await TitlesAsync(world, file, "--where", "price=1.50", "--where", "title!=\"a b\"")).ShouldBe(["c"]);
        (await TitlesAsync(world, file, "--where", "tags has home && done == true")).ShouldBe(["d"]);
        (await TitlesAsync(world, file, "--where", "title=\"a b\"")).ShouldBe(["a b"]);
        (await TitlesAsync(world, file, "--where", "price=null")).ShouldBe(["a b"]);
        (await TitlesAsync(world, file, "--order", "priority", "--skip", "1", "--limit", "2")).ShouldBe(["b", "c"]);
        (await TitlesAsync(world, file, "--where", "priority>100")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Query_BadWhereOrOrder_IsAUsageErrorNamingTheToken()
    {
        await using var world = await CliWorld.StartAsync();
        var file = await TodosAsync(world, records: false);

        (await world.FailsAsync(2, "query", "--replica", file, "todo", "--where", "colour=red")).ShouldContain("'colour' is not a declared field of 'todo'");
        (await world.FailsAsync(2, "query", "--replica", file, "todo", "--where", "done~true")).ShouldContain("expected an operator");
        (await world.FailsAsync(2, "query", "--replica", file, "todo", "--where", "priority>high")).ShouldContain("'high' is not a value for the long field 'priority'");
        (await world.FailsAsync(2, "query", "--replica", file, "todo", "--where", "done=1")).ShouldContain("'1' does not fit the bool field 'done'");
        (await world.FailsAsync(2, "query", "--replica", file, "todo", "--where", "done=true or priority>1")).ShouldContain("'or' is not supported");
        (await world.FailsAsync(2, "query", "--replica", file, "todo", "--where", "done=true priority>1")).ShouldContain("unexpected 'priority>1'");
        (await world.FailsAsync(2, "query", "--replica", file, "todo", "--where", "title=\"open")).ShouldContain("no closing quote");
        (await world.FailsAsync(2, "query", "--replica", file, "todo", "--where", "tags has")).ShouldContain("expected a value after 'tags'");
        (await world.FailsAsync(2, "query", "--replica", file, "todo", "--order", "due:sideways")).ShouldContain("'sideways' is not a direction");
        (await world.FailsAsync(2, "query", "--replica", file, "todo", "--order", "tags")).ShouldContain("'tags' is a set field");
        (await world.FailsAsync(2, "query", "--replica", file, "todo", "--limit", "-1")).ShouldContain("--limit must be 0 or more");
    }

    private static async Task<string> TodosAsync(CliWorld world, bool records = true)
    {
        var file = await world.ReplicaAsync("r", withSchema: false);
        await world.OkAsync("schema", "--replica", file, Schema);
        if (records)
        {
            await world.OkAsync("put", "--replica", file, "todo", """{"title":"a","done":false,"due":"2026-12-01T10:45:00Z","priority":3,"price":2,"tags":["work"]}""");
            await world.OkAsync("put", "--replica", file, "todo", """{"title":"b","done":false,"due":"2026-12-01T12:30:00+02:00","priority":1,"price":10}""");
            await world.OkAsync("put", "--replica", file, "todo", """{"title":"c","done":false,"due":"2026-12-02T00:00:00Z","priority":2,"price":1.5}""");
            await world.OkAsync("put", "--replica", file, "todo", """{"title":"d","done":true,"due":"2026-11-01T00:00:00Z","priority":5,"price":0.5,"tags":["home"]}""");
            await world.OkAsync("put", "--replica", file, "todo", """{"title":"a b","done":true,"priority":0}""");
        }

        return file;
    }

    private static async Task<List<string>> TitlesAsync(CliWorld world, string file, params string[] options)
    {
        var output = await world.OkAsync(["query", "--replica", file, "todo", "--json", .. options]);
        return [.. JsonDocument.Parse(output).RootElement.EnumerateArray().Select(r => r.GetProperty("title").GetString()!)];
    }
}
