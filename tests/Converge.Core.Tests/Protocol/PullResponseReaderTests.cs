using System.Text;
using System.Text.Json;
using Converge.Core.Protocol;

namespace Converge.Core.Tests.Protocol;

public sealed class PullResponseReaderTests
{
    private static readonly Guid Client = Guid.Parse("019aa5e0-7c3b-7d2e-9a4f-0123456789ab");

    [Fact]
    public void Read_AnswerAsTheServerWritesIt_EachBodyIsTheStoredBody()
    {
        var actions = EnvelopeSamples.EveryKind();
        var stored = actions.Select(ActionBody.Serialize).ToList();

        var page = PullResponseReader.Read(EnvelopeSamples.PullAnswer(stored, Client, "alice"));

        page.Head.ShouldBe(actions.Length);
        page.Principal.ShouldBe("alice");
        page.ServerTime.ShouldBe(new DateTimeOffset(2026, 11, 21, 6, 53, 36, TimeSpan.Zero));
        page.Actions.Select(a => a.Envelope.Body.ToArray()).ShouldBe(stored);
        page.Actions.Select(a => ActionBody.Serialize(a.Envelope.Action)).ShouldBe(stored);
        page.Actions.Select(a => a.Index).ShouldBe(Enumerable.Range(1, actions.Length).Select(i => (long)i));
        page.Actions.ShouldAllBe(a => a.ClientId == Client && a.Principal == "alice");
    }

    [Fact]
    public void Read_AnyAnswer_AgreesWithTheSerializerAndTheCodec()
    {
        var body = EnvelopeSamples.PullAnswer(EnvelopeSamples.EveryKind().Select(ActionBody.Serialize).ToList(), Client, "alice");

        var page = PullResponseReader.Read(body);

        var response = JsonSerializer.Deserialize(body, ConvergeJsonContext.Default.PullResponse).ShouldNotBeNull();
        var logged = response.Actions.Select(w => ActionCodec.DecodeLogged(w).Value!).ToList();
        page.Actions.Select(a => a.ToLogged()).Select(l => (l.Index, l.ClientId, l.Principal, l.Action.Id)).ShouldBe(logged.Select(l => (l.Index, l.ClientId, l.Principal, l.Action.Id)));
        page.Actions.Select(a => ActionBody.Serialize(a.Envelope.Action)).ShouldBe(logged.Select(l => ActionBody.Serialize(l.Action)));
        page.Head.ShouldBe(response.Head);
    }

    [Fact]
    public void Read_ServerMembersAnywhere_BodyKeepsTheOthersAsSent()
    {
        var body = Encoding.UTF8.GetString(ActionBody.Serialize(EnvelopeSamples.EveryKind()[6]));
        var moved = body.Replace(",\"kind\":", ",\"principal\":\"p\",\"kind\":", StringComparison.Ordinal).TrimEnd('}') + $",\"index\":1,\"clientId\":\"{Client:D}\"}}";
        var answer = $$"""{"actions":[{{moved}}],"head":1}""";

        var page = PullResponseReader.Read(Encoding.UTF8.GetBytes(answer));

        Encoding.UTF8.GetString(page.Actions[0].Envelope.Body.Span).ShouldBe(body);
        page.Principal.ShouldBeNull();
    }

    [Theory]
    [InlineData("""[]""")]
    [InlineData("""{"head":1}""")]
    [InlineData("""{"actions":[],"head":1,"extra":true}""")]
    [InlineData("""{"actions":[],"head":1,"head":2}""")]
    [InlineData("""{"actions":[1]}""")]
    [InlineData("""{"actions":[{"index":1,"clientId":"019aa5e0-7c3b-7d2e-9a4f-0123456789ab","principal":"p","kind":"delete"}]}""")]
    [InlineData("""{"actions":[{"unknown":1}]}""")]
    [InlineData("""{"actions":[] """)]
    public void Read_NotAValidAnswer_Throws(string answer)
    {
        Should.Throw<FormatException>(() => PullResponseReader.Read(Encoding.UTF8.GetBytes(answer)));
    }
}
