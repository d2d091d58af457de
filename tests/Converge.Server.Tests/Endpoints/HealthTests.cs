using System.Net;
using Converge.Testing;

namespace Converge.Server.Tests.Endpoints;

public sealed class HealthTests
{
    [Fact]
    public async Task Healthz_StoreAnswers_IsOk()
    {
        await using var host = await ServerHost.StartAsync();
        using var client = host.Client();

        using var response = await client.GetAsync("/healthz");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("\"status\":\"ok\"");
    }
}
