using Converge.Server.Auth;
using Microsoft.AspNetCore.Http;

namespace Converge.Server.Tests.Hosting;

/// <summary>An authenticator that fails unexpectedly: a fault inside a Converge endpoint, whatever the request.</summary>
internal sealed class FaultyAuthenticator : IConvergeAuthenticator
{
    public const string Message = "planted fault inside Converge";

    public ValueTask<AccessDecision> AuthorizeAsync(HttpContext context, string stream, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException(Message);
}
