using System.Text;
using System.Text.Json;
using Converge.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Converge.Server.Tests.Endpoints;

/// <summary>
/// A push body that stalls, has broken chunked framing or is cut short is the client's fault: a 4xx problem when the
/// client can still hear one, never a 5xx, never an error in the log, and the stream is left as it was.
/// </summary>
public sealed class BrokenBodyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("zz\r\n")]
    [InlineData("-5\r\n")]
    [InlineData("fffffffffffffffffff\r\n")]
    [InlineData("0x10\r\n")]
    public async Task Push_MalformedChunkSize_IsInvalidBody_AndChangesNothing(string firstChunk)
    {
        var logs = new LogCapture();
        await using var f = await ServerFixture.StartAsync(web: b => b.Logging.AddProvider(logs));
        var before = await f.ExportAsync();
        await using var raw = await RawHttp.ConnectAsync(f.Host.BaseAddress);

        await raw.SendAsync(PushHead(f, "Transfer-Encoding: chunked") + firstChunk + "\r\n0\r\n\r\n");
        var answer = await raw.ReadAnswerAsync(Patience);

        answer.ShouldNotBeNull();
        answer.Status.ShouldBe(400, string.Join("; ", answer.Headers) + " | " + answer.Body + " | " + string.Join("\n", logs.Entries));
        Code(answer).ShouldBe("invalid_body");
        await ShouldBeUnchangedAsync(f, before, logs);
    }

    [Fact]
    public async Task Push_ChunkLongerThanItsSize_IsInvalidBody()
    {
        var logs = new LogCapture();
        await using var f = await ServerFixture.StartAsync(web: b => b.Logging.AddProvider(logs));
        var before = await f.ExportAsync();
        var body = Body(f);
        await using var raw = await RawHttp.ConnectAsync(f.Host.BaseAddress);

        await raw.SendAsync(PushHead(f, "Transfer-Encoding: chunked") + "2\r\n" + body + "\r\n0\r\n\r\n");
        var answer = await raw.ReadAnswerAsync(Patience);

        answer.ShouldNotBeNull();
        answer.Status.ShouldBe(400, answer.Body);
        Code(answer).ShouldBe("invalid_body");
        await ShouldBeUnchangedAsync(f, before, logs);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Push_BodyCutShort_IsNeverAFault_AndChangesNothing(bool chunked)
    {
        var logs = new LogCapture();
        await using var f = await ServerFixture.StartAsync(web: b => b.Logging.AddProvider(logs));
        var before = await f.ExportAsync();
        var body = Body(f);
        await using var raw = await RawHttp.ConnectAsync(f.Host.BaseAddress);

        var half = body[..(body.Length / 2)];
        await raw.SendAsync(chunked
            ? PushHead(f, "Transfer-Encoding: chunked") + $"{Encoding.UTF8.GetByteCount(body):x}\r\n" + half
            : PushHead(f, $"Content-Length: {Encoding.UTF8.GetByteCount(body)}") + half);
        raw.EndSending();
        var answer = await raw.ReadAnswerAsync(Patience);

        // The client has stopped sending: if it still listens, it hears a 400; the connection may also just close.
        if (answer is not null)
        {
            answer.Status.ShouldBe(400, answer.Body);
            Code(answer).ShouldBe("invalid_body");
        }

        await ShouldBeUnchangedAsync(f, before, logs);
    }

    [Fact]
    public async Task Push_BodyThatStalls_IsRequestTimeout_AndChangesNothing()
    {
        var logs = new LogCapture();
        await using var f = await ServerFixture.StartAsync(web: b =>
        {
            b.Logging.AddProvider(logs);
            b.WebHost.ConfigureKestrel(k => k.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 100, gracePeriod: TimeSpan.FromSeconds(2)));
        });
        var before = await f.ExportAsync();
        var body = Body(f);
        await using var raw = await RawHttp.ConnectAsync(f.Host.BaseAddress);

        await raw.SendAsync(PushHead(f, $"Content-Length: {Encoding.UTF8.GetByteCount(body)}") + body[..(body.Length / 2)]);
        var answer = await raw.ReadAnswerAsync(Patience);

        answer.ShouldNotBeNull();
        answer.Status.ShouldBe(408, answer.Body);
        Code(answer).ShouldBe("request_timeout");
        await ShouldBeUnchangedAsync(f, before, logs);
    }

    private static string Body(ServerFixture f) => Wire.PushBody(f.ClientId, f.Writer.Create("person", """{"name":"Ann"}"""));

    private static string PushHead(ServerFixture f, string framing) =>
        RawHttp.Head("POST", $"/v1/streams/{ServerFixture.Stream}/push", f.Host.BaseAddress, $"Authorization: Bearer {f.Token}", "Content-Type: application/json", framing);

    private static string Code(RawHttp.Answer answer)
    {
        answer.ContentType.ShouldNotBeNull().ShouldStartWith("application/problem+json");
        using var document = JsonDocument.Parse(answer.Body);
        return document.RootElement.GetProperty("code").GetString()!;
    }

    private static async Task ShouldBeUnchangedAsync(ServerFixture f, string before, LogCapture logs)
    {
        (await f.HeadAsync()).ShouldBe(1);
        (await f.ExportAsync()).ShouldBe(before);
        logs.Faults.ShouldBeEmpty(string.Join("\n", logs.Entries));
    }
}
