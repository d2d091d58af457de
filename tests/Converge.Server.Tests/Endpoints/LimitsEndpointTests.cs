using System.Net;
using Converge.Core;
using Converge.Core.Protocol;
using Converge.Server.Endpoints;
using Converge.Server.Hosting;
using Converge.Testing;

namespace Converge.Server.Tests.Endpoints;

public sealed class LimitsEndpointTests
{
    [Fact]
    public async Task Limits_ConfiguredServer_AnswersTheLimitsItEnforces()
    {
        await using var f = await ServerFixture.StartAsync(o =>
        {
            o.MaxStringBytes = 1000;
            o.MaxRecordBytes = 2000;
            o.MaxRequestBodyBytes = 64 * 1024;
        });

        using var response = await f.Client.GetAsync(new Uri($"v1/streams/{ServerFixture.Stream}/limits", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        ServerLimits.Parse(await response.Content.ReadAsByteArrayAsync())
            .ShouldBe(ServerLimits.Default with { MaxStringBytes = 1000, MaxRecordBytes = 2000, MaxRequestBodyBytes = 64 * 1024 });
    }

    [Fact]
    public async Task Limits_NoCredential_IsUnauthorized()
    {
        await using var f = await ServerFixture.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = f.Client.BaseAddress };

        using var response = await anonymous.GetAsync(new Uri($"v1/streams/{ServerFixture.Stream}/limits", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Wire.ProblemCodeAsync(response)).ShouldBe(ProblemCodes.Unauthorized);
    }

    [Fact]
    public async Task Limits_Post_IsMethodNotAllowed()
    {
        await using var f = await ServerFixture.StartAsync();

        using var response = await f.Client.PostAsync(new Uri($"v1/streams/{ServerFixture.Stream}/limits", UriKind.Relative), Wire.Json("{}"));

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.ShouldBe(["GET"]);
    }

    [Fact]
    public void Options_Defaults_AreTheOneDefinitionInTheCore()
    {
        new ConvergeServerOptions().ToLimits().ShouldBe(ServerLimits.Default);
    }
}
