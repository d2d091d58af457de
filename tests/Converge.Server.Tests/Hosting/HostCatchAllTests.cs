using System.Net;
using Converge.Server.Hosting;
using Converge.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Converge.Server.Tests.Hosting;

/// <summary>
/// A host app's own catch-all routes (a reverse proxy, an SPA fallback) beside <c>MapConverge()</c>: Converge's
/// not-found and wrong-method answers take only what no route of the app takes, and only under <c>/v1/streams</c>.
/// </summary>
public sealed class HostCatchAllTests
{
    private const string Proxied = "answered by the host's proxy";
    private const string Spa = "answered by the host's SPA fallback";

    [Theory]
    [InlineData("/v1/reports")]
    [InlineData("/v1")]
    [InlineData("/v1/streams/team/nope")]
    public async Task HostProxyUnderV1_AnswersEveryPathConvergeDoesNotServe(string path)
    {
        await using var host = await HostApp.StartAsync(app =>
        {
            app.MapConverge();
            app.Map("/v1/{**rest}", (RequestDelegate)(context => context.Response.WriteAsync(Proxied)));
        });
        var token = await host.TokenAsync("alice", "team");
        using var client = host.Client(token);

        using var response = await client.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe(Proxied);
        (await client.GetAsync("/v1/streams/team/pull?after=0")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task HostSpaFallback_AnswersPathsUnderV1OutsideStreams_ConvergeStillAnswersUnknownStreamPaths()
    {
        await using var host = await HostApp.StartAsync(app =>
        {
            app.MapConverge();
            app.MapFallback((RequestDelegate)(context => context.Response.WriteAsync(Spa)));
        });
        using var client = host.Client();

        using var page = await client.GetAsync("/v1/settings");
        using var unknown = await client.GetAsync("/v1/streams/team/nope");
        using var wrongMethod = await client.GetAsync("/v1/streams/team/push");

        (await page.Content.ReadAsStringAsync()).ShouldBe(Spa);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Wire.ProblemCodeAsync(unknown)).ShouldBe("not_found");
        wrongMethod.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        (await Wire.ProblemCodeAsync(wrongMethod)).ShouldBe("method_not_allowed");
    }
}
