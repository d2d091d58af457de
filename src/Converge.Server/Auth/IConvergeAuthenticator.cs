using Microsoft.AspNetCore.Http;

namespace Converge.Server.Auth;

/// <summary>
/// Decides whether a request may use a stream and as which principal. The default reads bearer tokens made by
/// <see cref="ConvergeCredentials"/>; apps that bring their own ASP.NET Core authentication plug in
/// <see cref="ClaimsAuthenticator"/> or their own implementation.
/// </summary>
public interface IConvergeAuthenticator
{
    /// <summary>Decides access to <paramref name="stream"/> for this request.</summary>
    ValueTask<AccessDecision> AuthorizeAsync(HttpContext context, string stream, CancellationToken cancellationToken = default);
}
