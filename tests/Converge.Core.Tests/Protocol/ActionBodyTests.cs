using System.Text;
using System.Text.Json;
using Converge.Core.Actions;
using Converge.Core.Protocol;
using Converge.Testing;

namespace Converge.Core.Tests.Protocol;

public sealed class ActionBodyTests
{
    [Fact]
    public void Serialize_SameActionWrittenInAnyMemberOrder_GivesTheSameBytes()
    {
        const string ordered = """{"id":"019aa5e0-7c3b-7d2e-9a4f-0123456789ab","hlc":"2026-11-21T06:53:36.397295996Z/89F9DD8514914648989315B2D30D7BE5","kind":"create","collection":"person","record":"019aa5e0-7c3b-7d2e-9a4f-fedcba987654","fields":{"name":"Grisha","age":30}}""";
        const string shuffled = """{"fields":{"age":30,"name":"Grisha"},"record":"019aa5e0-7c3b-7d2e-9a4f-fedcba987654","kind":"create","collection":"person","hlc":"2026-11-21T06:53:36.397295996Z/89F9DD8514914648989315B2D30D7BE5","id":"019aa5e0-7c3b-7d2e-9a4f-0123456789ab"}""";

        var left = ActionBody.Serialize(Decode(ordered));
        var right = ActionBody.Serialize(Decode(shuffled));

        right.ShouldBe(left);
        Encoding.UTF8.GetString(left).ShouldBe("""{"collection":"person","fields":{"age":30,"name":"Grisha"},"hlc":"2026-11-21T06:53:36.397295996Z/89F9DD8514914648989315B2D30D7BE5","id":"019aa5e0-7c3b-7d2e-9a4f-0123456789ab","kind":"create","record":"019aa5e0-7c3b-7d2e-9a4f-fedcba987654"}""");
    }

    [Fact]
    public void SerializeDeserialize_EveryKind_RoundTripsToTheSameBody()
    {
        var factory = new ActionFactory(new FakeTimeProvider());
        var record = Guid.CreateVersion7();
        ConvergeAction[] actions =
        [
            factory.Schema("""{"p":{"owned":true,"fields":{"n":{"type":"long","counter":true},"t":{"type":"string","cardinality":"many"}}}}"""),
            factory.Create("p", """{"t":["x"]}""", record, OnConflict.Overwrite),
            factory.Update("p", record, """{"t":[]}"""),
            factory.Add("p", record, "t", "\"y\""),
            factory.Remove("p", record, "t", "\"x\""),
            factory.Increment("p", record, "n", -1.25m),
            factory.Delete("p", record),
        ];

        foreach (var action in actions)
        {
            var body = ActionBody.Serialize(action);
            ActionBody.Serialize(ActionBody.Deserialize(body)).ShouldBe(body);
        }
    }

    [Fact]
    public void Serialize_AfterALargerBody_GivesExactlyItsOwnBytes()
    {
        // The buffer is reused from call to call on a thread: nothing of a longer body may show in a shorter one after it.
        var factory = new ActionFactory(new FakeTimeProvider());
        var record = Guid.CreateVersion7();
        var small = factory.Delete("p", record);
        var expected = ActionBody.Serialize(small);
        var large = factory.Update("p", record, $$"""{"t":"{{new string('x', 100_000)}}"}""");

        ActionBody.Serialize(large).Length.ShouldBeGreaterThan(100_000);
        ActionBody.Serialize(small).ShouldBe(expected);
        Encoding.UTF8.GetString(expected).ShouldBe($$"""{"collection":"p","hlc":"{{small.Hlc}}","id":"{{small.Id:D}}","kind":"delete","record":"{{record:D}}"}""");
    }

    [Fact]
    public void Hash_DifferentBodies_Differ()
    {
        var factory = new ActionFactory(new FakeTimeProvider());
        var action = factory.Update("p", Guid.CreateVersion7(), """{"a":1}""");
        var changed = action with { Fields = action.Fields.SetItem("a", Json.Parse("2")) };

        ActionBody.Hash(ActionBody.Serialize(changed)).ShouldNotBe(ActionBody.Hash(ActionBody.Serialize(action)));
    }

    private static ConvergeAction Decode(string json) =>
        ActionCodec.Decode(JsonSerializer.Deserialize(json, ConvergeJsonContext.Default.ActionWire)!).Value!;
}
