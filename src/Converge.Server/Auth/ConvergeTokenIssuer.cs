using Converge.Server.Storage;

namespace Converge.Server.Auth;

/// <summary>
/// Issues bearer tokens from the host app (after its own sign-in, say), as <c>converge token create</c> does from the
/// command line: resolve it from the services <c>AddConverge</c> registered.
/// </summary>
public sealed class ConvergeTokenIssuer
{
    private readonly IConvergeStore _store;
    private readonly TimeProvider _time;

    internal ConvergeTokenIssuer(IConvergeStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    /// <summary>Creates a token for <paramref name="principal"/> that may use <paramref name="streams"/>; only its hash is stored, so keep the token.</summary>
    /// <exception cref="ArgumentException">The principal is empty, or a stream name is not valid.</exception>
    public ValueTask<string> CreateAsync(string principal, IReadOnlyList<string> streams, CancellationToken cancellationToken = default) =>
        ConvergeCredentials.CreateAsync(_store, principal, streams, _time, cancellationToken);
}
