using System.Security.Claims;
using Converge.Server.Auth;
using Microsoft.AspNetCore.Http;

namespace Converge.Server.Tests.Auth;

public sealed class ClaimsAuthenticatorTests
{
    private readonly ClaimsAuthenticator _authenticator = new((user, stream) => user.HasClaim("stream", stream));

    [Fact]
    public async Task AuthenticatedUserWithTheStreamClaim_IsAllowedAsTheirName()
    {
        var context = Context(new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice"), new Claim("stream", "team")], "app"));

        var decision = await _authenticator.AuthorizeAsync(context, "team");

        decision.Outcome.ShouldBe(AccessOutcome.Allowed);
        decision.Principal.ShouldBe("alice");
        (await _authenticator.AuthorizeAsync(context, "other")).Outcome.ShouldBe(AccessOutcome.Denied);
    }

    [Fact]
    public async Task AnonymousUser_IsUnauthenticated()
    {
        (await _authenticator.AuthorizeAsync(Context(new ClaimsIdentity()), "team")).Outcome.ShouldBe(AccessOutcome.Unauthenticated);
    }

    private static DefaultHttpContext Context(ClaimsIdentity identity) => new() { User = new ClaimsPrincipal(identity) };
}
