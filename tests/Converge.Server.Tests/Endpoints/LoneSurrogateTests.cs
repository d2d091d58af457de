using System.Net;
using Converge.Testing;

namespace Converge.Server.Tests.Endpoints;

/// <summary>A JSON string that escapes half a surrogate pair names no text: the push is refused as a whole, 400 <c>invalid_json</c>.</summary>
public sealed class LoneSurrogateTests
{
    private const string Id = "019aa5e0-7c3b-7d2e-9a4f-0123456789ab";
    private const string Record = "019aa5e0-7c3b-7d2e-9a4f-fedcba987654";

    public static TheoryData<string> Bodies()
    {
        var client = Guid.CreateVersion7().ToString("D");
        var hlc = new Core.Clock.HybridClock(TimeProvider.System, new Core.Clock.NodeId(9)).Next().ToString();
        string Push(string action, string clientId = "") => $$"""{"clientId":"{{(clientId.Length == 0 ? client : clientId)}}","actions":[{{action}}]}""";
        string Create(string fields) => $$"""{"id":"{{Id}}","hlc":"{{hlc}}","kind":"create","collection":"person","record":"{{Record}}","fields":{{fields}}}""";
        string Add(string value) => $$"""{"id":"{{Id}}","hlc":"{{hlc}}","kind":"add","collection":"person","record":"{{Record}}","field":"name","value":{{value}}}""";
        var good = Create("""{"name":"x"}""");
        return new TheoryData<string>
        {
            Push(Create("""{"name":"\ud800"}""")),
            Push(Create("""{"name":"a\udc00b"}""")),
            Push(Create("""{"name":"\udc00\ud800"}""")),
            Push(Create("""{"name":"x\ud83d"}""")),
            Push(Create("""{"name":{"\ud800":1}}""")),
            Push(Create("""{"name":["ok","\udfff"]}""")),
            Push(Create("""{"n\ud800":"x"}""")),
            Push(good, "\\ud800"),
            Push(good.Replace(hlc, "\\ud800" + hlc[1..], StringComparison.Ordinal)),
            Push(good.Replace("\"person\"", "\"person\\ud800\"", StringComparison.Ordinal)),
            Push(Add("\"\\ud800\"")),
            Push(Add("""{"k":"\udbff"}""")),
            $$"""{"clientId":"{{client}}","actions":[{{good}}],"\ud800":1}""",
            Push($$"""{"id":"{{Id}}","hlc":"{{hlc}}","kind":"schema","collections":""" + """{"a\ud800":{"fields":{}}}}"""),
        };
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Push_LoneSurrogateEscape_IsInvalidJson_AndChangesNothing(string body)
    {
        await using var f = await ServerFixture.StartAsync();
        var before = await f.ExportAsync();

        using var response = await Wire.PushRawAsync(f.Client, ServerFixture.Stream, body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        (await Wire.ProblemCodeAsync(response)).ShouldBe("invalid_json");
        (await f.HeadAsync()).ShouldBe(1);
        (await f.ExportAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Push_EscapedSurrogatePair_IsAccepted()
    {
        await using var f = await ServerFixture.StartAsync();
        var hlc = f.Writer.Clock.Next().ToString();
        var body = $$$"""{"clientId":"{{{f.ClientId}}}","actions":[{"id":"{{{Guid.CreateVersion7()}}}","hlc":"{{{hlc}}}","kind":"create","collection":"person","record":"{{{Record}}}","fields":{"name":"\ud83d\ude00 \u00e9"}}]}""";

        using var response = await Wire.PushRawAsync(f.Client, ServerFixture.Stream, body);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await f.HeadAsync()).ShouldBe(2);
        var export = await f.ExportAsync();
        export.ShouldContain("\\ud83d\\ude00 é", Case.Insensitive, export);
    }
}
