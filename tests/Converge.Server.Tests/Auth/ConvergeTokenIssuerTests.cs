using System.Net;
using Converge.Server.Auth;
using Converge.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Converge.Server.Tests.Auth;

public sealed class ConvergeTokenIssuerTests
{
    [Fact]
    public async Task CreateAsync_FromTheHostsServices_GivesATokenForItsStreamsOnly()
    {
        await using var host = await ServerHost.StartAsync();
        var issuer = host.App.Services.GetRequiredService<ConvergeTokenIssuer>();

        var token = await issuer.CreateAsync("alice", ["team"]);

        token.ShouldStartWith(ConvergeCredentials.TokenPrefix);
        using var alice = host.Client(token);
        (await alice.GetAsync("/v1/streams/team/pull?after=0")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await alice.GetAsync("/v1/streams/other/pull?after=0")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CreateAsync_NoStreams_IsRefusedAndStoresNothing()
    {
        await using var host = await ServerHost.StartAsync();
        var issuer = host.App.Services.GetRequiredService<ConvergeTokenIssuer>();

        await Should.ThrowAsync<ArgumentException>(async () => await issuer.CreateAsync("alice", []));
    }
}
