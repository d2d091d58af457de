using System.Net;
using System.Text.Json;
using Converge.Testing;

namespace Converge.Server.Tests.Endpoints;

/// <summary>Requests under <c>/v1/streams</c> that match no endpoint, or a wrong method, still get a problem document.</summary>
public sealed class RoutingProblemTests
{
    [Theory]
    [InlineData("POST", "/v1/streams")]
    [InlineData("GET", "/v1/streams/")]
    [InlineData("GET", "/v1/streams/team")]
    [InlineData("GET", "/v1/streams/team/nope")]
    [InlineData("GET", "/v1/streams/team/snapshots")]
    [InlineData("GET", "/v1/streams/team/push/more")]
    public async Task UnknownRoute_UnderV1_IsNotFoundProblem(string method, string path)
    {
        await using var f = await ServerFixture.StartAsync(withSchema: false);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await f.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Wire.ProblemCodeAsync(response)).ShouldBe("not_found");
    }

    [Theory]
    [InlineData("/v1")]
    [InlineData("/v1/nope")]
    [InlineData("/v1/streamsx/team/pull")]
    public async Task UnknownRoute_UnderV1ButOutsideStreams_IsLeftToTheApp(string path)
    {
        await using var f = await ServerFixture.StartAsync(withSchema: false);

        using var response = await f.Client.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType.ShouldBeNull();
        (await response.Content.ReadAsStringAsync()).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("GET", "/v1/streams/team/push", "POST")]
    [InlineData("PUT", "/v1/streams/team/push", "POST")]
    [InlineData("POST", "/v1/streams/team/pull", "GET")]
    [InlineData("DELETE", "/v1/streams/team/snapshot", "GET")]
    [InlineData("POST", "/v1/streams/team/snapshots/abc", "GET")]
    [InlineData("POST", "/healthz", "GET")]
    public async Task WrongMethod_IsMethodNotAllowedProblem_WithAllow(string method, string path, string allowed)
    {
        await using var f = await ServerFixture.StartAsync(withSchema: false);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await f.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        (await Wire.ProblemCodeAsync(response)).ShouldBe("method_not_allowed");
        response.Content.Headers.Allow.ShouldBe([allowed]);
    }

    [Theory]
    [InlineData("/v1/streams/./push")]
    [InlineData("/v1/streams/%2E/pull")]
    [InlineData("/v1/streams/a%2fb/pull")]
    [InlineData("/v1/streams/team%20x/pull")]
    [InlineData("/v1/streams/%ff/pull")]
    public async Task OddStreamName_IsProblem_NeverAFault(string target)
    {
        await using var f = await ServerFixture.StartAsync();
        var before = await f.ExportAsync();
        await using var raw = await RawHttp.ConnectAsync(f.Host.BaseAddress);

        await raw.SendAsync(RawHttp.Head("GET", target, f.Host.BaseAddress, $"Authorization: Bearer {f.Token}", "Connection: close"));
        var answer = await raw.ReadAnswerAsync(TimeSpan.FromSeconds(60));

        answer.ShouldNotBeNull();
        answer.Status.ShouldBe(404, answer.Body);
        answer.ContentType.ShouldNotBeNull().ShouldStartWith("application/problem+json");
        using var problem = JsonDocument.Parse(answer.Body);
        problem.RootElement.GetProperty("code").GetString().ShouldBe("not_found");
        (await f.ExportAsync()).ShouldBe(before);
    }

    [Theory]
    [InlineData("/v1/streams/../push")]
    [InlineData("/v1/streams/%2e%2e/pull")]
    [InlineData("/v1/streams/.%2e/pull")]
    public async Task DotDotStreamName_LeavesTheStreamsPaths_IsTheAppsNotFound_NeverAFault(string target)
    {
        await using var f = await ServerFixture.StartAsync();
        var before = await f.ExportAsync();
        await using var raw = await RawHttp.ConnectAsync(f.Host.BaseAddress);

        await raw.SendAsync(RawHttp.Head("GET", target, f.Host.BaseAddress, $"Authorization: Bearer {f.Token}", "Connection: close"));
        var answer = await raw.ReadAnswerAsync(TimeSpan.FromSeconds(60));

        // Kestrel makes these /v1/push and /v1/pull: no Converge path, so not Converge's to answer.
        answer.ShouldNotBeNull();
        answer.Status.ShouldBe(404, answer.Body);
        (await f.ExportAsync()).ShouldBe(before);
    }

    [Theory]
    [InlineData("/v1/streams/te%00am/pull")]
    [InlineData("/v1/streams/team/pull%00")]
    public async Task NulInThePath_IsKestrels400_NeverAFault(string target)
    {
        await using var f = await ServerFixture.StartAsync();
        await using var raw = await RawHttp.ConnectAsync(f.Host.BaseAddress);

        await raw.SendAsync(RawHttp.Head("GET", target, f.Host.BaseAddress, $"Authorization: Bearer {f.Token}", "Connection: close"));
        var answer = await raw.ReadAnswerAsync(TimeSpan.FromSeconds(60));

        answer.ShouldNotBeNull();
        answer.Status.ShouldBe(400);
    }

    [Fact]
    public async Task HeadersOverTheLimit_AreKestrels431_NeverAFault()
    {
        await using var f = await ServerFixture.StartAsync();
        await using var raw = await RawHttp.ConnectAsync(f.Host.BaseAddress);

        await raw.SendAsync(RawHttp.Head("GET", "/v1/streams/team/pull", f.Host.BaseAddress, $"Authorization: Bearer {f.Token}", "X-Big: " + new string('x', 40 * 1024)));
        var answer = await raw.ReadAnswerAsync(TimeSpan.FromSeconds(60));

        answer.ShouldNotBeNull();
        answer.Status.ShouldBe(431);
    }

    [Fact]
    public async Task MalformedRequestLine_IsKestrels400_NeverAFault()
    {
        await using var f = await ServerFixture.StartAsync();
        await using var raw = await RawHttp.ConnectAsync(f.Host.BaseAddress);

        await raw.SendAsync("GET /v1/streams/team/pull HTTP/1.1 extra\r\nHost: x\r\n\r\n");
        var answer = await raw.ReadAnswerAsync(TimeSpan.FromSeconds(60));

        answer.ShouldNotBeNull();
        answer.Status.ShouldBe(400);
    }
}
