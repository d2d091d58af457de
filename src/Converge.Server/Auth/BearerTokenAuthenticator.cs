using System.Collections.Concurrent;
using Converge.Server.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Converge.Server.Auth;

/// <summary>The default authenticator: <c>Authorization: Bearer &lt;token&gt;</c>, looked up by hash in the store.</summary>
/// <remarks>Thread-safe. Found credentials are cached for 30 seconds, so a push does not cost a store read.</remarks>
public sealed class BearerTokenAuthenticator : IConvergeAuthenticator
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly IConvergeStore _store;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (Credential? Credential, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates the authenticator over a store.</summary>
    internal BearerTokenAuthenticator(IConvergeStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
    }

    /// <inheritdoc />
    public async ValueTask<AccessDecision> AuthorizeAsync(HttpContext context, string stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers[HeaderNames.Authorization].ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 512)
        {
            return AccessDecision.Unauthenticated;
        }

        var hash = ConvergeCredentials.Hash(header[7..].Trim());
        var now = _time.GetUtcNow();
        if (!_cache.TryGetValue(hash, out var cached) || cached.Until < now)
        {
            cached = (await _store.FindCredentialAsync(hash, cancellationToken).ConfigureAwait(false), now + CacheFor);
            if (cached.Credential is null)
            {
                // Unknown tokens are not cached: a credential created a moment later must work at once.
                return AccessDecision.Unauthenticated;
            }

            if (_cache.Count > 10_000)
            {
                _cache.Clear();
            }

            _cache[hash] = cached;
        }

        return cached.Credential switch
        {
            null => AccessDecision.Unauthenticated,
            { } credential when credential.Streams.Contains(stream, StringComparer.Ordinal) => AccessDecision.Allow(credential.Principal),
            _ => AccessDecision.Denied,
        };
    }
}
