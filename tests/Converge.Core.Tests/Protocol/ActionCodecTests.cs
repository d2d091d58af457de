using System.Text.Json;
using Converge.Core.Actions;
using Converge.Core.Protocol;
using Converge.Core.Schema;
using Converge.Testing;

namespace Converge.Core.Tests.Protocol;

public sealed class ActionCodecTests
{
    private const string Id = "019aa5e0-7c3b-7d2e-9a4f-0123456789ab";
    private const string Record = "019aa5e0-7c3b-7d2e-9a4f-fedcba987654";
    private const string Hlc = "2026-11-21T06:53:36.397295996Z/89F9DD8514914648989315B2D30D7BE5";

    [Fact]
    public void Decode_CreateInWireForm_ReadsEveryMember()
    {
        var action = Decode($$"""{"id":"{{Id}}","hlc":"{{Hlc}}","kind":"create","collection":"person","record":"{{Record}}","fields":{"name":"Grisha","age":30},"onConflict":"overwrite"}""");

        var create = action.ShouldBeOfType<CreateAction>();
        create.Id.ShouldBe(Guid.Parse(Id));
        create.Hlc.ToString().ShouldBe(Hlc);
        create.Collection.ShouldBe("person");
        create.Record.ShouldBe(Guid.Parse(Record));
        create.Fields.Keys.ShouldBe(["age", "name"]);
        create.OnConflict.ShouldBe(OnConflict.Overwrite);
    }

    [Theory]
    [InlineData("""{"kind":"update","collection":"person","record":"R","fields":{"name":"x"}}""", typeof(UpdateAction))]
    [InlineData("""{"kind":"delete","collection":"person","record":"R"}""", typeof(DeleteAction))]
    [InlineData("""{"kind":"add","collection":"person","record":"R","field":"tags","value":"a"}""", typeof(AddAction))]
    [InlineData("""{"kind":"remove","collection":"person","record":"R","field":"tags","value":"a"}""", typeof(RemoveAction))]
    [InlineData("""{"kind":"increment","collection":"person","record":"R","field":"visits","delta":-2}""", typeof(IncrementAction))]
    [InlineData("""{"kind":"schema","collections":{"person":{"owned":false,"fields":{"name":{"type":"string","cardinality":"one","unique":"identity"}}}}}""", typeof(SchemaAction))]
    public void Decode_EveryKind_MakesItsActionType(string body, Type expected)
    {
        Decode(WithHeader(body)).ShouldBeOfType(expected);
    }

    [Fact]
    public void EncodeThenSerialize_Create_IsTheDocumentedWireForm()
    {
        var action = Decode($$$"""{"id":"{{{Id}}}","hlc":"{{{Hlc}}}","kind":"create","collection":"person","record":"{{{Record}}}","fields":{"name":"Grisha"}}""");

        var json = JsonSerializer.Serialize(ActionCodec.Encode(action), ConvergeJsonContext.Default.ActionWire);

        json.ShouldBe($$$"""{"id":"{{{Id}}}","hlc":"{{{Hlc}}}","kind":"create","collection":"person","record":"{{{Record}}}","fields":{"name":"Grisha"}}""");
    }

    [Fact]
    public void EncodeThenSerialize_SchemaAction_IsTheDocumentedWireForm()
    {
        var action = Decode(WithHeader("""{"kind":"schema","collections":{"person":{"owned":false,"fields":{"name":{"type":"string","cardinality":"one","unique":"identity"}}}}}"""));

        var json = JsonSerializer.Serialize(ActionCodec.Encode(action), ConvergeJsonContext.Default.ActionWire);

        json.ShouldEndWith("""
            "kind":"schema","collections":{"person":{"owned":false,"open":false,"fields":{"name":{"type":"string","cardinality":"one","unique":"identity"}}}}}
            """);
    }

    [Fact]
    public void EncodeLogged_AddsIndexClientIdAndPrincipal_AndDecodesBack()
    {
        var action = Decode(WithHeader("""{"kind":"delete","collection":"person","record":"R"}"""));
        var logged = new LoggedAction(42, Guid.Parse(Record), "alice", action);

        var wire = ActionCodec.Encode(logged);
        var back = ActionCodec.DecodeLogged(wire);

        wire.Index.ShouldBe(42);
        wire.ClientId.ShouldBe(Record);
        back.IsOk.ShouldBeTrue();
        back.Value!.Index.ShouldBe(42);
        back.Value.Principal.ShouldBe("alice");
        ActionCodec.Decode(wire).Error!.Code.ShouldBe(RejectionCodes.ServerOwnedMember);
    }

    [Fact]
    public void EncodeDecode_EveryKind_RoundTrips()
    {
        var factory = new ActionFactory(new FakeTimeProvider());
        var record = Guid.CreateVersion7();
        ConvergeAction[] actions =
        [
            factory.Schema("""{"person":{"fields":{"name":{"type":"string"},"tags":{"type":"string","cardinality":"many"},"n":{"type":"long","counter":true}}}}"""),
            factory.Create("person", """{"name":"Grisha","tags":["a"]}""", record, OnConflict.Ignore),
            factory.Update("person", record, """{"name":null}"""),
            factory.Add("person", record, "tags", "\"b\""),
            factory.Remove("person", record, "tags", "\"a\""),
            factory.Increment("person", record, "n", 2.5m),
            factory.Delete("person", record),
        ];

        foreach (var action in actions)
        {
            var json = JsonSerializer.Serialize(ActionCodec.Encode(action), ConvergeJsonContext.Default.ActionWire);
            var again = JsonSerializer.Serialize(ActionCodec.Encode(Decode(json)), ConvergeJsonContext.Default.ActionWire);
            again.ShouldBe(json);
        }
    }

    [Theory]
    [InlineData("""{"id":"not-a-uuid","hlc":"H","kind":"delete","collection":"c","record":"R"}""", RejectionCodes.InvalidId)]
    [InlineData("""{"id":"019aa5e0-7c3b-4d2e-9a4f-0123456789ab","hlc":"H","kind":"delete","collection":"c","record":"R"}""", RejectionCodes.InvalidId)]
    [InlineData("""{"id":"I","hlc":"yesterday","kind":"delete","collection":"c","record":"R"}""", RejectionCodes.InvalidHlc)]
    [InlineData("""{"id":"I","hlc":"H","kind":"upsert","collection":"c","record":"R"}""", RejectionCodes.InvalidAction)]
    [InlineData("""{"id":"I","hlc":"H","kind":"delete","collection":"c"}""", RejectionCodes.InvalidAction)]
    [InlineData("""{"id":"I","hlc":"H","kind":"delete","collection":"c","record":"R","fields":{}}""", RejectionCodes.InvalidAction)]
    [InlineData("""{"id":"I","hlc":"H","kind":"update","collection":"c","record":"R","fields":{}}""", RejectionCodes.InvalidAction)]
    [InlineData("""{"id":"I","hlc":"H","kind":"update","collection":"c","record":"R","fields":{"id":"x"}}""", RejectionCodes.ReservedField)]
    [InlineData("""{"id":"I","hlc":"H","kind":"create","collection":"c","record":"R","fields":{"no spaces":"x"}}""", RejectionCodes.InvalidAction)]
    [InlineData("""{"id":"I","hlc":"H","kind":"create","collection":"c","record":"R","fields":{},"onConflict":"replace"}""", RejectionCodes.InvalidAction)]
    [InlineData("""{"id":"I","hlc":"H","kind":"add","collection":"c","record":"R","field":"tags"}""", RejectionCodes.InvalidAction)]
    [InlineData("""{"id":"I","hlc":"H","kind":"increment","collection":"c","record":"R","field":"n","delta":"1"}""", RejectionCodes.InvalidAction)]
    [InlineData("""{"id":"I","hlc":"H","kind":"delete","collection":"no spaces","record":"R"}""", RejectionCodes.InvalidAction)]
    [InlineData("""{"id":"I","hlc":"H","kind":"delete","collection":"c","record":"00000000-0000-0000-0000-000000000000"}""", RejectionCodes.InvalidId)]
    [InlineData("""{"id":"I","hlc":"H","kind":"delete","collection":"c","record":"R","index":3}""", RejectionCodes.ServerOwnedMember)]
    [InlineData("""{"id":"I","hlc":"H","kind":"delete","collection":"c","record":"R","clientId":"R"}""", RejectionCodes.ServerOwnedMember)]
    [InlineData("""{"id":"I","hlc":"H","kind":"schema","collections":{"c":{"fields":{"n":{"type":"text"}}}}}""", RejectionCodes.InvalidSchema)]
    public void Decode_BadShape_RejectsWithStableCode(string body, string code)
    {
        var wire = JsonSerializer.Deserialize(Fill(body), ConvergeJsonContext.Default.ActionWire)!;

        var decoded = ActionCodec.Decode(wire);

        decoded.IsOk.ShouldBeFalse();
        decoded.Error!.Code.ShouldBe(code);
        decoded.Error.Message.ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData("1e29")]
    [InlineData("-1e29")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("79228162514264337593543950336")]
    public void Decode_DeltaBeyondDecimal_IsOutOfRange(string delta)
    {
        var wire = JsonSerializer.Deserialize(WithHeader($$"""{"kind":"increment","collection":"c","record":"R","field":"n","delta":{{delta}}}"""), ConvergeJsonContext.Default.ActionWire)!;

        var decoded = ActionCodec.Decode(wire);

        decoded.Error.ShouldNotBeNull().Code.ShouldBe(RejectionCodes.OutOfRange);
        decoded.Error.Message.ShouldContain("'delta'");
    }

    [Theory]
    [InlineData("create", "\"\\ud800\"")]
    [InlineData("create", "[\"a\",\"x\\udc00\"]")]
    [InlineData("update", "{\"k\\udbff\":1}")]
    [InlineData("update", "{\"k\":{\"j\":\"\\ud83d\"}}")]
    [InlineData("add", "\"\\udc00\\ud800\"")]
    [InlineData("remove", "{\"\\ud800\":true}")]
    public void Decode_LoneSurrogateEscapeInAValue_IsRefused(string kind, string value)
    {
        var wire = kind is "create" or "update"
            ? JsonSerializer.Deserialize(WithHeader($$$"""{"kind":"{{{kind}}}","collection":"c","record":"R","fields":{"name":"x"}}"""), ConvergeJsonContext.Default.ActionWire)!
            : JsonSerializer.Deserialize(WithHeader($$"""{"kind":"{{kind}}","collection":"c","record":"R","field":"tags","value":"x"}"""), ConvergeJsonContext.Default.ActionWire)!;
        if (wire.Fields is not null)
        {
            wire.Fields["name"] = Json.Parse(value);
        }
        else
        {
            wire = wire with { Value = Json.Parse(value) };
        }

        var decoded = ActionCodec.Decode(wire);

        decoded.Error.ShouldNotBeNull().Code.ShouldBe(RejectionCodes.InvalidAction);
        decoded.Error.Message.ShouldContain("surrogate");
    }

    [Fact]
    public void Decode_EscapedSurrogatePairOrEscapedBackslash_IsRead()
    {
        var action = Decode(WithHeader("""{"kind":"create","collection":"c","record":"R","fields":{"name":"\ud83d\ude00","n\u0061me2":{"\ud83d\ude00":"\\ud800","\\\\udc00":"\u00e9\\"}}}"""));

        ActionBody.Serialize(action).ShouldNotBeEmpty();
    }

    [Fact]
    public void Deserialize_UnknownMember_Throws()
    {
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize(WithHeader("""{"kind":"delete","collection":"c","record":"R","extra":1}"""), ConvergeJsonContext.Default.ActionWire));
    }

    [Fact]
    public void Deserialize_DuplicateMember_Throws()
    {
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize(WithHeader("""{"kind":"delete","kind":"delete","collection":"c","record":"R"}"""), ConvergeJsonContext.Default.ActionWire));
    }

    [Fact]
    public void IsUuidV7_VersionSeven_OnlyThen()
    {
        ActionCodec.IsUuidV7(Guid.CreateVersion7()).ShouldBeTrue();
        ActionCodec.IsUuidV7(Guid.NewGuid()).ShouldBeFalse();
    }

    [Fact]
    public void SchemaCodec_EncodeDecode_RoundTrips()
    {
        var schema = new ActionFactory(new FakeTimeProvider()).Schema("""{"a":{"owned":true,"open":true,"fields":{"r":{"type":"ref","target":"a"},"s":{"type":"uuid","cardinality":"many","growOnly":true}}}}""").Schema;

        var back = SchemaCodec.Decode(SchemaCodec.Encode(schema));

        back.Value!.SameAs(schema).ShouldBeTrue();
        back.Value.Collections["a"].Fields["s"].ShouldBe(new FieldSchema(FieldType.Uuid, Cardinality.Many, GrowOnly: true));
    }

    private static string WithHeader(string body) => Fill(body.Replace("{\"kind\"", "{\"id\":\"I\",\"hlc\":\"H\",\"kind\"", StringComparison.Ordinal));

    private static string Fill(string body) => body
        .Replace("\"I\"", $"\"{Id}\"", StringComparison.Ordinal)
        .Replace("\"H\"", $"\"{Hlc}\"", StringComparison.Ordinal)
        .Replace("\"R\"", $"\"{Record}\"", StringComparison.Ordinal);

    private static ConvergeAction Decode(string json)
    {
        var decoded = ActionCodec.Decode(JsonSerializer.Deserialize(json, ConvergeJsonContext.Default.ActionWire)!);
        decoded.Error.ShouldBeNull();
        return decoded.Value!;
    }
}
