using System.Text.Json;
using Converge.Core.Protocol;

namespace Converge.Core.Tests.Protocol;

public sealed class PushRequestWriterTests
{
    [Fact]
    public void Serialize_Envelopes_ReadsAsTheRequestTheSerializerWrites()
    {
        var actions = EnvelopeSamples.EveryKind();
        var client = Guid.CreateVersion7();

        var body = PushRequestWriter.Serialize(client, actions.Select(ActionEnvelope.Of));

        var request = JsonSerializer.Deserialize(body, ConvergeJsonContext.Default.PushRequest).ShouldNotBeNull();
        request.ClientId.ShouldBe(client.ToString("D"));
        request.Actions.ShouldNotBeNull().Select(w => ActionBody.Serialize(ActionCodec.Decode(w).Value!)).ShouldBe(actions.Select(ActionBody.Serialize));
    }

    [Fact]
    public void Serialize_Envelopes_CarriesEachBodyByteForByte()
    {
        var envelopes = EnvelopeSamples.EveryKind().Select(ActionEnvelope.Of).ToList();

        using var document = JsonDocument.Parse(PushRequestWriter.Serialize(Guid.CreateVersion7(), envelopes));

        var sent = document.RootElement.GetProperty("actions").EnumerateArray().Select(a => a.GetRawText()).ToList();
        sent.ShouldBe(envelopes.Select(e => System.Text.Encoding.UTF8.GetString(e.Body.Span)));
    }
}
