using System.Net.Http.Headers;
using Converge.Core.Protocol;
using Converge.Testing;

namespace Converge.Server.Tests.Push;

/// <summary>An action's canonical bytes, made once by the writer, are what the log stores and what a pull hands back.</summary>
public sealed class PushEnvelopeTests
{
    [Fact]
    public async Task Push_EnvelopeBytesRaw_AreStoredAndPulledByteForByte()
    {
        await using var f = await ServerFixture.StartAsync();
        var record = Guid.CreateVersion7();
        ActionEnvelope[] sent =
        [
            ActionEnvelope.Of(f.Writer.Create("person", """{"name":"Ann \"A\" é","email":"ann@example.org"}""", record)),
            ActionEnvelope.Of(f.Writer.Update("person", record, """{"name":"Bo\u00e9"}""")),
        ];
        using var content = new ByteArrayContent(PushRequestWriter.Serialize(f.ClientId, sent));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var push = await f.Client.PostAsync(new Uri($"v1/streams/{ServerFixture.Stream}/push", UriKind.Relative), content);
        push.EnsureSuccessStatusCode();
        (await push.Content.ReadAsStringAsync()).Split("\"accepted\"").Length.ShouldBe(3);

        var ids = sent.Select(e => e.Id).ToHashSet();
        var stored = await f.Host.Store.ReadAsync(ServerFixture.Stream, 0, 10);
        stored.Actions.Where(a => ids.Contains(a.ActionId)).Select(a => a.Body.ToArray()).ShouldBe(sent.Select(e => e.Body.ToArray()));
        var page = PullResponseReader.Read(await f.Client.GetByteArrayAsync(new Uri($"v1/streams/{ServerFixture.Stream}/pull?after=0", UriKind.Relative)));
        var pulled = page.Actions.Where(a => ids.Contains(a.Envelope.Id)).ToList();
        pulled.Select(a => a.Envelope.Body.ToArray()).ShouldBe(sent.Select(e => e.Body.ToArray()));
        pulled.Select(a => a.Envelope.Hash.ToArray()).ShouldBe(sent.Select(e => e.Hash.ToArray()));
        pulled.ShouldAllBe(a => a.ClientId == f.ClientId && a.Principal == "alice");
    }

    [Fact]
    public async Task Push_SameEnvelopeAgain_IsADuplicateByItsHash()
    {
        await using var f = await ServerFixture.StartAsync();
        var envelope = ActionEnvelope.Of(f.Writer.Create("person", """{"name":"Ann"}"""));
        var body = PushRequestWriter.Serialize(f.ClientId, [envelope]);

        var first = await Send(f, body);
        var second = await Send(f, body);

        first.ShouldContain("\"status\":\"accepted\"");
        second.ShouldContain("\"status\":\"duplicate\"");
    }

    private static async Task<string> Send(ServerFixture f, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await f.Client.PostAsync(new Uri($"v1/streams/{ServerFixture.Stream}/push", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
