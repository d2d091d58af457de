using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Converge.Server.Auth;

/// <summary>
/// The seam for apps with their own ASP.NET Core authentication: the request's <see cref="ClaimsPrincipal"/>
/// (set by the app's authentication middleware) decides, through the app's rule, which streams it may use.
/// </summary>
public sealed class ClaimsAuthenticator : IConvergeAuthenticator
{
    private readonly Func<ClaimsPrincipal, string, bool> _mayUse;
    private readonly Func<ClaimsPrincipal, string?> _principalOf;

    /// <summary>Creates the authenticator.</summary>
    /// <param name="mayUse">Whether the user may use a stream.</param>
    /// <param name="principalOf">The principal name Converge records (owner of owned records); default the identity's name.</param>
    public ClaimsAuthenticator(Func<ClaimsPrincipal, string, bool> mayUse, Func<ClaimsPrincipal, string?>? principalOf = null)
    {
        ArgumentNullException.ThrowIfNull(mayUse);
        _mayUse = mayUse;
        _principalOf = principalOf ?? (user => user.Identity?.Name);
    }

    /// <inheritdoc />
    public ValueTask<AccessDecision> AuthorizeAsync(HttpContext context, string stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true || _principalOf(user) is not { Length: > 0 } principal)
        {
            return ValueTask.FromResult(AccessDecision.Unauthenticated);
        }

        return ValueTask.FromResult(_mayUse(user, stream) ? AccessDecision.Allow(principal) : AccessDecision.Denied);
    }
}
