using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Converge.Testing;

namespace Converge.Server.Tests.Endpoints;

/// <summary>Every bad input gets a 4xx problem with a stable code and leaves the stream exactly as it was.</summary>
public sealed class BadInputTests
{
    private const string Id = "019aa5e0-7c3b-7d2e-9a4f-0123456789ab";
    private const string Record = "019aa5e0-7c3b-7d2e-9a4f-fedcba987654";

    public static TheoryData<string, string> BadBodies()
    {
        var client = Guid.CreateVersion7();
        string Push(string action) => $$"""{"clientId":"{{client}}","actions":[{{action}}]}""";
        string Hlc() => new Core.Clock.HybridClock(TimeProvider.System, new Core.Clock.NodeId(9)).Next().ToString();
        var good = $$$"""{"id":"{{{Id}}}","hlc":"{{{Hlc()}}}","kind":"create","collection":"person","record":"{{{Record}}}","fields":{"name":"x"}}""";
        return new TheoryData<string, string>
        {
            { "{", "malformed_json" },
            { "", "malformed_json" },
            { "{} {}", "malformed_json" },
            { "[1,2]", "invalid_request" },
            { Push(good).Replace("}]}", "}],}", StringComparison.Ordinal), "malformed_json" },
            { $$"""{"clientId":"{{client}}","actions":[{{good}}],"extra":1}""", "invalid_request" },
            { $$"""{"clientId":"{{client}}","clientId":"{{client}}","actions":[{{good}}]}""", "invalid_request" },
            { $$"""{"actions":[{{good}}]}""", "invalid_client_id" },
            { $$"""{"clientId":"not-a-uuid","actions":[{{good}}]}""", "invalid_client_id" },
            { $$"""{"clientId":"{{client}}","actions":[]}""", "too_many_actions" },
            { $$"""{"clientId":"{{client}}"}""", "too_many_actions" },
            { Push(good.Replace(Id, "019aa5e0-7c3b-4d2e-9a4f-0123456789ab", StringComparison.Ordinal)), "invalid_id" },
            { Push(good.Replace("\"record\":\"" + Record, "\"record\":\"nope", StringComparison.Ordinal)), "invalid_id" },
            { Push(good.Replace("\"hlc\":\"", "\"hlc\":\"x", StringComparison.Ordinal)), "invalid_hlc" },
            { Push(good.Replace("\"kind\":\"create\"", "\"kind\":\"upsert\"", StringComparison.Ordinal)), "invalid_action" },
            { Push(good.Replace("\"fields\"", "\"index\":7,\"fields\"", StringComparison.Ordinal)), "server_owned_member" },
            { Push(good.Replace("\"fields\"", "\"principal\":\"root\",\"fields\"", StringComparison.Ordinal)), "server_owned_member" },
            { Push(good.Replace("\"fields\"", "\"clientId\":\"" + client + "\",\"fields\"", StringComparison.Ordinal)), "server_owned_member" },
            { Push(good.Replace("\"fields\"", "\"owner\":\"root\",\"fields\"", StringComparison.Ordinal)), "invalid_request" },
            { Push("null"), "invalid_action" },
            { Push(good.Replace("{\"name\":\"x\"}", new string('[', 40) + new string(']', 40), StringComparison.Ordinal)), "json_too_deep" },
            { Push(good.Replace("\"x\"", "\"" + new string('x', 300_000) + "\"", StringComparison.Ordinal)), "string_too_long" },
            { Push(good) + Push(good), "malformed_json" },
        };
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Push_BadBody_IsProblemWithCode_AndChangesNothing(string body, string code)
    {
        await using var f = await ServerFixture.StartAsync();
        var before = await f.ExportAsync();

        using var response = await Wire.PushRawAsync(f.Client, ServerFixture.Stream, body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Wire.ProblemCodeAsync(response)).ShouldBe(code);
        (await f.HeadAsync()).ShouldBe(1);
        (await f.ExportAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Push_OneBadActionAmongGoodOnes_RejectsTheWholeRequestAndNamesIt()
    {
        await using var f = await ServerFixture.StartAsync();
        var body = Wire.PushBody(f.ClientId, f.Writer.Create("person", """{"name":"ok"}"""), f.Writer.Create("person", """{"name":"ok too"}"""))
            .Replace("\"kind\":\"create\",\"collection\":\"person\",\"record\"", "\"kind\":\"create\",\"collection\":\"bad name\",\"record\"", StringComparison.Ordinal);
        var lastComma = body.LastIndexOf("\"bad name\"", StringComparison.Ordinal);
        body = body[..lastComma].Replace("\"bad name\"", "\"person\"", StringComparison.Ordinal) + body[lastComma..];

        using var response = await Wire.PushRawAsync(f.Client, ServerFixture.Stream, body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldContain("\"actionIndex\":1");
        (await f.HeadAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task Push_BodyOverTheLimit_Is413WhileStreaming()
    {
        await using var f = await ServerFixture.StartAsync(o => o.MaxRequestBodyBytes = 64 * 1024);
        var actions = Enumerable.Range(0, 400).Select(i => (Core.Actions.ConvergeAction)f.Writer.Create("person", $$"""{"name":"{{new string('n', 200)}}"}""")).ToArray();
        using var streamed = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Wire.PushBody(f.ClientId, actions))));
        streamed.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/streams/{ServerFixture.Stream}/push") { Content = streamed };
        request.Headers.TransferEncodingChunked = true;

        using var response = await f.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await Wire.ProblemCodeAsync(response)).ShouldBe("body_too_large");
        (await f.HeadAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task Push_TooManyActions_IsRejected()
    {
        await using var f = await ServerFixture.StartAsync(o => o.MaxActionsPerPush = 3);
        var actions = Enumerable.Range(0, 4).Select(_ => (Core.Actions.ConvergeAction)f.Writer.Create("person", "{}")).ToArray();

        using var response = await Wire.PushRawAsync(f.Client, ServerFixture.Stream, Wire.PushBody(f.ClientId, actions));

        (await Wire.ProblemCodeAsync(response)).ShouldBe("too_many_actions");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/json; charset=latin1")]
    [InlineData(null)]
    public async Task Push_NotJson_Is415(string? contentType)
    {
        await using var f = await ServerFixture.StartAsync();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Wire.PushBody(f.ClientId, f.Writer.Create("person", "{}"))));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var response = await f.Client.PostAsync($"/v1/streams/{ServerFixture.Stream}/push", content);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await f.HeadAsync()).ShouldBe(1);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=\"UTF-8\"")]
    [InlineData("application/json")]
    public async Task Push_JsonInUtf8_IsTaken_HoweverTheCharsetIsWritten(string contentType)
    {
        await using var f = await ServerFixture.StartAsync();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Wire.PushBody(f.ClientId, f.Writer.Create("person", "{}"))));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await f.Client.PostAsync($"/v1/streams/{ServerFixture.Stream}/push", content);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await f.HeadAsync()).ShouldBe(2);
    }

    [Fact]
    public async Task Push_InvalidUtf8_IsRejected()
    {
        await using var f = await ServerFixture.StartAsync();
        var bytes = Encoding.UTF8.GetBytes(Wire.PushBody(f.ClientId, f.Writer.Create("person", """{"name":"AB"}""")));
        var at = Array.IndexOf(bytes, (byte)'A');
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await f.Client.PostAsync($"/v1/streams/{ServerFixture.Stream}/push", content);

        (await Wire.ProblemCodeAsync(response)).ShouldBe("invalid_utf8");
    }

    [Fact]
    public async Task Push_RandomBytes_NeverAFiveHundred()
    {
        await using var f = await ServerFixture.StartAsync();
        var random = new Random(20261121);
        var valid = Encoding.UTF8.GetBytes(Wire.PushBody(f.ClientId, f.Writer.Create("person", """{"name":"x","email":"e@example.com"}""")));
        for (var i = 0; i < 200; i++)
        {
            var bytes = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await f.Client.PostAsync($"/v1/streams/{ServerFixture.Stream}/push", content);

            ((int)response.StatusCode).ShouldBeLessThan(500, await response.Content.ReadAsStringAsync());
        }
    }
}
