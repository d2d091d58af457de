namespace Converge.Server.Auth;

/// <summary>Whether a request may use a stream, and as whom.</summary>
public sealed record AccessDecision
{
    private AccessDecision(AccessOutcome outcome, string? principal)
    {
        Outcome = outcome;
        Principal = principal;
    }

    /// <summary>The outcome.</summary>
    public AccessOutcome Outcome { get; }

    /// <summary>The authenticated principal, when allowed.</summary>
    public string? Principal { get; }

    /// <summary>No valid credential: 401.</summary>
    public static AccessDecision Unauthenticated { get; } = new(AccessOutcome.Unauthenticated, null);

    /// <summary>A valid credential that may not use the stream: 404, so the stream's existence does not leak.</summary>
    public static AccessDecision Denied { get; } = new(AccessOutcome.Denied, null);

    /// <summary>Allowed, as <paramref name="principal"/>.</summary>
    public static AccessDecision Allow(string principal)
    {
        ArgumentException.ThrowIfNullOrEmpty(principal);
        return new(AccessOutcome.Allowed, principal);
    }
}
