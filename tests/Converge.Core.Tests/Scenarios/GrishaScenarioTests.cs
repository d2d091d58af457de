using Converge.Testing;

namespace Converge.Core.Tests.Scenarios;

/// <summary>Scenario 1 of docs/guarantees.md: two clients each declare part of <c>person</c> and create "Grisha"; they sync 1, 2, 1.</summary>
public sealed class GrishaScenarioTests
{
    [Fact]
    public void Grisha_NameNotUnique_GivesTwoPeople()
    {
        var (one, two, server) = Run(nameUnique: null);

        var export = server.Export();
        one.Export().ShouldBe(export);
        two.Export().ShouldBe(export);
        People(export).ShouldBe(["""{"age":30,"name":"Grisha"}""", """{"name":"Grisha","ssn":123}"""], ignoreOrder: true);
        export.ShouldStartWith("{\"aliases\":{},");
    }

    [Fact]
    public void Grisha_NameUniqueIdentity_GivesOnePersonWithNameAgeAndSsn()
    {
        var (one, two, server) = Run(nameUnique: "identity");

        var export = server.Export();
        one.Export().ShouldBe(export);
        two.Export().ShouldBe(export);
        People(export).ShouldBe(["""{"age":30,"name":"Grisha","ssn":123}"""]);
        server.State.ReadAliases().ShouldHaveSingleItem();
    }

    private static (MiniReplica One, MiniReplica Two, ServerView Server) Run(string? nameUnique)
    {
        var time = new FakeTimeProvider();
        var server = new MiniServer();
        var one = new MiniReplica(time, 1, "device-1");
        var two = new MiniReplica(time, 2, "device-2");
        var name = nameUnique is null ? """{"type":"string"}""" : $$"""{"type":"string","unique":"{{nameUnique}}"}""";

        one.Write(one.Writer.Schema("{\"person\":{\"fields\":{\"name\":" + name + ",\"age\":{\"type\":\"long\"}}}}"));
        one.Write(one.Writer.Create("person", """{"name":"Grisha","age":30}"""));
        time.Advance(TimeSpan.FromSeconds(1));
        two.Write(two.Writer.Schema("{\"person\":{\"fields\":{\"name\":" + name + ",\"ssn\":{\"type\":\"long\",\"unique\":\"identity\"}}}}"));
        two.Write(two.Writer.Create("person", """{"name":"Grisha","ssn":123}"""));

        one.Sync(server);
        two.Sync(server);
        one.Sync(server);

        return (one, two, new ServerView(server));
    }

    /// <summary>The people in an export, each without its id.</summary>
    private static List<string> People(string export)
    {
        using var document = System.Text.Json.JsonDocument.Parse(export);
        return [.. document.RootElement.GetProperty("records").GetProperty("person").EnumerateArray()
            .Select(p => "{" + string.Join(',', p.EnumerateObject().Where(m => m.Name != "id").Select(m => $"\"{m.Name}\":{m.Value.GetRawText()}")) + "}")];
    }

    private sealed class ServerView(MiniServer server)
    {
        public Converge.Core.State.InMemoryRecordState State => server.State;

        public string Export() => Converge.Core.Export.CanonicalExport.ToText(server.State);
    }
}
